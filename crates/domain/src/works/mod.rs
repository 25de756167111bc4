//! Works (kegiatan), segments and their co-funding.
