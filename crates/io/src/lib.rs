//! File formats in and out of the atlas.
