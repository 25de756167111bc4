mod assessment_tables;
mod crs;
mod fuzz_props;
mod hostile_tables;
