//! Writes or reads a large assessment table, to measure the streaming reader's memory:
//!
//! ```text
//! cargo run --release -p kumuh-io --example stream_assessments -- generate 1000000 big.csv
//! /usr/bin/time -v target/release/examples/stream_assessments read big.csv
//! ```
//!
//! `read` counts the valid and invalid rows without keeping them.

use std::io::{BufWriter, Write};
use std::path::Path;

use kumuh_domain::assessment::RuleSet;
use kumuh_io::assessment::{AssessmentRows, RowRead, write_template_csv};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rules = RuleSet::default_rules();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["generate", n, file] => {
            let n: usize = n.parse()?;
            let mut out = BufWriter::new(std::fs::File::create(file)?);
            write_template_csv(&rules, &mut out)?;
            let volumes = "0,0,0,100,300,1,0,0,0,0,7,7,42,42,33,33";
            for i in 0..n {
                writeln!(
                    out,
                    "K{i:07},Lokasi {i},35.19.09.2014,2025,2.66,33,168,42,400,0,{volumes}"
                )?;
            }
            out.flush()?;
            eprintln!("wrote {n} rows to {file}");
        }
        ["read", file] => {
            let (mut valid, mut invalid) = (0usize, 0usize);
            for row in AssessmentRows::open(Path::new(file), &rules)? {
                match row? {
                    RowRead::Valid(_) => valid += 1,
                    RowRead::Invalid(_) => invalid += 1,
                }
            }
            eprintln!("{file}: {valid} valid rows, {invalid} with problems");
        }
        _ => {
            eprintln!("usage: stream_assessments generate N FILE | read FILE");
            std::process::exit(2);
        }
    }
    Ok(())
}
