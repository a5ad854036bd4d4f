//! The `recette` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() {
    let cli = recette::cli::Cli::parse();
    std::process::exit(recette::cli::run(cli));
}
