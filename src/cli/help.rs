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
        Lang::En => english(root),
    }
}

/// The tree in English: every description (written in French, the doc comments) replaced by
/// its translation from [`super::help_en::TEXTS`]; clap's own words are English already. The
/// variables' values are not shown (a path or a name of this machine): the help names them.
fn english(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let about = cmd.get_about().and_then(|t| english_text(&t.to_string()));
    let long_about = cmd
        .get_long_about()
        .and_then(|t| english_text(&t.to_string()));
    let mut cmd = cmd;
    if let Some(t) = about {
        cmd = cmd.about(t);
    }
    if let Some(t) = long_about {
        cmd = cmd.long_about(t);
    }
    cmd = cmd.mut_args(|a| {
        let help = a.get_help().and_then(|t| english_text(&t.to_string()));
        let long_help = a.get_long_help().and_then(|t| english_text(&t.to_string()));
        let mut a = if a.get_env().is_some() {
            a.hide_env(true)
        } else {
            a
        };
        if let Some(t) = help {
            a = a.help(t);
        }
        if let Some(t) = long_help {
            a = a.long_help(t);
        }
        let given = a.get_value_names().unwrap_or_default();
        let names: Vec<&'static str> = given
            .iter()
            .filter_map(|n| english_value_name(n.as_str()))
            .collect();
        if !names.is_empty() && names.len() == given.len() {
            a = a.value_names(names);
        }
        a
    });
    for n in names {
        cmd = cmd.mut_subcommand(n, english);
    }
    cmd
}

/// The English of a value's placeholder (`<FICHIER>` is `<FILE>`); `None` when it reads the
/// same in both languages (`<N>`, `<DATE>`).
fn english_value_name(fr: &str) -> Option<&'static str> {
    Some(match fr {
        "ACTION => ATTENDU" => "ACTION => EXPECTED",
        "ANOMALIE" => "ANOMALY",
        "BORDEREAU" => "DELIVERY_NOTE",
        "CAMPAGNE" => "CAMPAIGN",
        "CAS" => "TEST",
        "CHEMIN" => "PATH",
        "COMPTE" => "ACCOUNT",
        "DOSSIER" => "FOLDER",
        "DURÉE" => "DURATION",
        "EXIGENCE" => "REQUIREMENT",
        "FICHIER" => "FILE",
        "JEU" => "DATASET",
        "LIVRAISON" => "DELIVERY",
        "MIO" => "MIB",
        "MOTIF" => "REASON",
        "N=ACTION => ATTENDU" => "N=ACTION => EXPECTED",
        "N=STATUT[:OBTENU]" => "N=STATUS[:ACTUAL]",
        "NOM" => "NAME",
        "NOM, FONCTION[, ORGANISME]" => "NAME, TITLE[, ORGANISATION]",
        "NOM=VALEUR" => "NAME=VALUE",
        "PRÉFIXE" => "PREFIX",
        "SECONDES" => "SECONDS",
        "SORTIE.reqif" => "OUT.reqif",
        "SORTIE.xlsx" => "OUT.xlsx",
        "STATUT" => "STATUS",
        "TEXTE" => "TEXT",
        _ => return None,
    })
}

/// The English of one French description, if the table has it.
fn english_text(fr: &str) -> Option<&'static str> {
    let texts = super::help_en::TEXTS;
    texts
        .binary_search_by(|(k, _)| (*k).cmp(fr))
        .ok()
        .map(|i| texts[i].1)
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
        ("to pass '", "pour passer '"),
        ("' as a value, use '", "' comme valeur, utilisez '"),
        ("cannot be used with", "ne peut pas être utilisé avec"),
        (
            "cannot be used multiple times",
            "ne peut être donné qu'une fois",
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every description of the tree, for `walk`.
    fn texts(c: &clap::Command, out: &mut Vec<(String, String)>) {
        for t in [c.get_about(), c.get_long_about()].into_iter().flatten() {
            out.push((c.get_name().to_string(), t.to_string()));
        }
        for a in c.get_arguments() {
            for t in [a.get_help(), a.get_long_help()].into_iter().flatten() {
                out.push((format!("{} {}", c.get_name(), a.get_id()), t.to_string()));
            }
        }
        for s in c.get_subcommands() {
            texts(s, out);
        }
    }

    #[test]
    fn the_translation_table_is_sorted_and_unique() {
        let t = super::super::help_en::TEXTS;
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "sort the table");
    }

    /// A command or option added without its English fails here, with its name.
    #[test]
    fn every_description_has_its_english() {
        let mut all = Vec::new();
        texts(&Cli::command(), &mut all);
        let missing: Vec<_> = all
            .iter()
            .filter(|(_, t)| english_text(t).is_none())
            .collect();
        assert!(missing.is_empty(), "no English for {missing:#?}");
        let mut en = Vec::new();
        texts(&command(Lang::En), &mut en);
        let french: Vec<_> = en
            .iter()
            .filter(|(_, t)| english_text(t).is_some_and(|e| e != t))
            .collect();
        assert!(french.is_empty(), "left in French: {french:#?}");
    }
}
