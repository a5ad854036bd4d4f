//! The `recette` binary: parse arguments, run the command, exit with its code.

use clap::FromArgMatches;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = recette::cli::help::early_lang(&args);
    let matches = match recette::cli::help::command(lang).try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout as they are (already in the user's language);
            // a usage error is worded in it, on stderr.
            if e.use_stderr() {
                eprint!("{}", recette::cli::help::error_text(&e, lang));
            } else {
                let _ = e.print();
            }
            std::process::exit(e.exit_code());
        }
    };
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
