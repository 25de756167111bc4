mod common;

mod cracks;
mod fuzz_props;
mod gdal;
mod pmtiles;
mod tiles;
