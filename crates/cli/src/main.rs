//! `kumuh`: the planning atlas for slum upgrading, from the command line.
//!
//! Every command prints one clear line and exits with code 2 on error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod assess;
mod assess_csv;
mod commands;
mod dokumen;
mod import;
mod import_assessments;
mod kegiatan;
mod maintenance;
mod peta_dasar;
mod skenario;
mod upk;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    commands::init_logging(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
