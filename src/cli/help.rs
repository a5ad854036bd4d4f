//! The command line in the user's language: clap's own words (usage heading, help and version
//! flags, defaults, the "Commandes" heading, its error messages) in French by default, left as
//! clap writes them with `--lang en` / `RECETTE_LANG=en`; shell completions and the man page
//! generated from the same definitions.

use clap::{Arg, ArgAction, CommandFactory};

use super::Cli;
use crate::i18n::Lang;

/// The help layout, in French.
const FR_TEMPLATE: &str =
    "{before-help}{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// The language the command line speaks before its arguments are parsed: `--lang X`,
/// `--lang=X`, else `RECETTE_LANG`, else French.
pub fn early_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = it.next() {
        if a == "--lang" {
            if let Some(l) = it.next().as_deref().and_then(Lang::parse) {
                return l;
            }
        } else if let Some(v) = a.strip_prefix("--lang=") {
            if let Some(l) = Lang::parse(v) {
                return l;
            }
        }
    }
    std::env::var("RECETTE_LANG")
        .ok()
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default()
}

/// The whole command tree in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let root = Cli::command();
    match lang {
        Lang::Fr => french(root, true),
        // The commands' own descriptions are written in French (their doc comments); the
        // description of the tool and clap's words are English.
        // Their help says which variable sets them: the variable's value is not shown (it is a
        // path or a name of this machine).
        Lang::En => root
            .about(
                "recette — test qualification and acceptance management: requirements, test cases, campaigns, anomalies, traceability, acceptance reports and sign-off",
            )
            .mut_args(|a| if a.get_env().is_some() { a.hide_env(true) } else { a }),
    }
}

fn french(cmd: clap::Command, root: bool) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd
        .help_template(FR_TEMPLATE)
        // clap adds the colon: a trailing space gives the French « Commandes : ».
        .subcommand_help_heading("Commandes ")
        .subcommand_value_name("COMMANDE")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help_heading("Options ")
                .help("Affiche l'aide"),
        )
        .mut_args(|a| {
            let mut a = if a.get_help_heading().is_none() {
                let heading = if a.is_positional() {
                    "Arguments "
                } else {
                    "Options "
                };
                a.help_heading(heading)
            } else {
                a
            };
            if a.get_env().is_some() {
                // Their help says which variable sets them, in French.
                a = a.hide_env(true);
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && !a.is_hide_default_value_set() {
                a = if defaults.iter().all(String::is_empty) {
                    // An empty default says nothing worth showing.
                    a.hide_default_value(true)
                } else {
                    let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                    a.hide_default_value(true)
                        .help(format!("{help} [défaut : {}]", defaults.join(", ")))
                };
            }
            a
        });
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help_heading("Options ")
                .help("Affiche la version"),
        );
    }
    for n in names {
        cmd = cmd.mut_subcommand(n, |s| french(s, false));
    }
    cmd
}

/// A clap error (unknown option, missing argument...) worded in `lang`.
pub fn error_text(e: &clap::Error, lang: Lang) -> String {
    let text = e.render().to_string();
    if lang == Lang::En {
        return text;
    }
    let mut out = text;
    for (en, fr) in [
        ("error: ", "erreur : "),
        ("tip: ", "astuce : "),
        ("Usage: ", "Utilisation : "),
        (
            "For more information, try '--help'.",
            "Pour en savoir plus : « --help ».",
        ),
        (
            "the following required arguments were not provided:",
            "arguments obligatoires manquants :",
        ),
        ("unrecognized subcommand", "commande inconnue"),
        ("unexpected argument", "argument inattendu"),
        ("invalid value", "valeur invalide"),
        ("for '", "pour '"),
        ("a value is required for", "une valeur est attendue pour"),
        ("but none was supplied", "mais aucune n'est donnée"),
        ("found", "trouvé"),
        ("possible values:", "valeurs possibles :"),
        (
            "a similar subcommand exists:",
            "une commande proche existe :",
        ),
        ("a similar argument exists:", "une option proche existe :"),
        (
            "to pass it as a value, use",
            "pour le passer comme valeur, utilisez",
        ),
        ("cannot be used with", "ne peut pas être utilisé avec"),
        ("the argument", "l'argument"),
        (
            "requires a subcommand but one was not provided",
            "demande une commande, aucune n'est donnée",
        ),
        ("subcommands:", "commandes :"),
    ] {
        out = out.replace(en, fr);
    }
    out
}
