//! The `recette` binary: parse arguments, run the command, exit with its code.

use clap::{CommandFactory, FromArgMatches};

fn main() {
    let matches = recette::cli::Cli::command().get_matches();
    // A command whose output is piped into `head`, `less` or `grep` ends quietly when the
    // reader goes away, as cat or grep do, instead of panicking in `println!`. The team server
    // keeps Rust's default (SIGPIPE ignored): a client that goes away is an error to handle.
    if matches.subcommand_name() != Some("serve") {
        end_quietly_on_broken_pipe();
    }
    let cli = match recette::cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    std::process::exit(recette::cli::run(cli));
}

#[cfg(unix)]
fn end_quietly_on_broken_pipe() {
    // SAFETY: called once at start-up, before any other thread exists; restoring the default
    // disposition of SIGPIPE has no other effect on the process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_broken_pipe() {}
