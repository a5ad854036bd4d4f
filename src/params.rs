//! Parameters of a test case and the values of its data sets (jeux de données), as in Squash TM.
//!
//! A step's action or expected result, and the prerequisites, may name a parameter as
//! `${name}`; a data set gives each parameter a value, written `cv=7; montant=31200` in a
//! workbook cell (`--param cv=7 --param montant=31200` on the command line). Running the test
//! with a data set shows the texts with the values substituted. No I/O.
//!
//! A parameter name is made of letters, digits, `_`, `-` and `.` (`${puissance_fiscale}`,
//! `${montant-ttc}`); anything else between `${` and `}` is left as written. A value is the text
//! after the first `=`, trimmed; it may hold `=` and `,` (French decimals) but not `;`, which
//! separates assignments (so does a line break).

use std::collections::BTreeMap;

use crate::i18n::Lang;

/// The values of a data set: parameter name -> value, ordered by name (stable JSON).
pub type Values = BTreeMap<String, String>;

/// Whether `name` is a valid parameter name.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Whether `name` can name a data set: non-empty, without spaces around it, printable, at
/// most 100 characters.
pub fn valid_dataset_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 100
        && name.trim() == name
        && !name.chars().any(char::is_control)
}

/// Calls `f` with each `${name}` of a text: its byte range and the name.
fn each_placeholder(text: &str, mut f: impl FnMut(std::ops::Range<usize>, &str)) {
    let mut from = 0;
    while let Some(start) = text[from..].find("${").map(|i| from + i) {
        let body = start + 2;
        let Some(len) = text[body..].find('}') else {
            return;
        };
        let name = &text[body..body + len];
        if valid_name(name) {
            f(start..body + len + 1, name);
            from = body + len + 1;
        } else {
            from = body;
        }
    }
}

/// The parameter names a text uses, in order of first appearance, each once.
pub fn parameters_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    each_placeholder(text, |_, name| {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    });
    out
}

/// The parameter names used by several texts (prerequisites, then each step's action and
/// expected result), in order of first appearance.
pub fn parameters_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        for name in parameters_in(t) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The text with each `${name}` that has a value replaced by it; a parameter without a value
/// stays written `${name}`, so the tester sees what is missing.
pub fn substitute(text: &str, values: &Values) -> String {
    if values.is_empty() || !text.contains("${") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    each_placeholder(text, |range, name| {
        if let Some(v) = values.get(name) {
            out.push_str(&text[last..range.start]);
            out.push_str(v);
            last = range.end;
        }
    });
    out.push_str(&text[last..]);
    out
}

/// The parameters `used` that `values` does not give, in the order of `used`.
pub fn missing(used: &[String], values: &Values) -> Vec<String> {
    used.iter()
        .filter(|n| !values.contains_key(*n))
        .cloned()
        .collect()
}

/// Why a list of assignments cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// A part without `=` (the part as written).
    NoEquals(String),
    /// A name that is not a parameter name.
    BadName(String),
    /// The same name twice.
    Duplicate(String),
}

impl ParamError {
    /// What is wrong and what was expected, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ParamError::NoEquals(p), Lang::Fr) => {
                format!("« {p} » : attendu nom=valeur (par exemple cv=7 ; montant=31200)")
            }
            (ParamError::NoEquals(p), Lang::En) => {
                format!("\"{p}\": expected name=value (for example cv=7; montant=31200)")
            }
            (ParamError::BadName(n), Lang::Fr) => format!(
                "nom de paramètre invalide « {n} » : lettres, chiffres, _, - et . seulement"
            ),
            (ParamError::BadName(n), Lang::En) => {
                format!("invalid parameter name \"{n}\": letters, digits, _, - and . only")
            }
            (ParamError::Duplicate(n), Lang::Fr) => format!("paramètre « {n} » donné deux fois"),
            (ParamError::Duplicate(n), Lang::En) => format!("parameter \"{n}\" given twice"),
        }
    }

    /// The library error of this problem.
    pub fn to_error(&self) -> crate::error::Error {
        crate::error::Error::input(self.message(Lang::Fr), self.message(Lang::En))
    }
}

/// Reads one assignment `name=value` (a `--param` option).
pub fn parse_assignment(part: &str) -> Result<(String, String), ParamError> {
    let Some((name, value)) = part.split_once('=') else {
        return Err(ParamError::NoEquals(part.trim().to_string()));
    };
    let name = name.trim();
    // `${cv}=7` is accepted for `cv=7`: people copy the placeholder.
    let name = name
        .strip_prefix("${")
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    if !valid_name(name) {
        return Err(ParamError::BadName(name.to_string()));
    }
    Ok((name.to_string(), value.trim().to_string()))
}

/// Reads a list of assignments `cv=7; montant=31200` (separated by `;` or line breaks; blank
/// parts are skipped).
pub fn parse_assignments(text: &str) -> Result<Values, ParamError> {
    let mut out = Values::new();
    for part in text.split([';', '\n', '\r']) {
        if part.trim().is_empty() {
            continue;
        }
        let (name, value) = parse_assignment(part)?;
        if out.insert(name.clone(), value).is_some() {
            return Err(ParamError::Duplicate(name));
        }
    }
    Ok(out)
}

/// Writes values as a workbook cell reads them back: `cv=7; montant=31200`.
pub fn format_assignments(values: &Values) -> String {
    values
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn placeholders_are_found_once_in_order() {
        assert_eq!(
            parameters_in("Saisir ${cv} CV, ${energie} puis ${cv}"),
            vec!["cv", "energie"]
        );
        assert!(parameters_in("Pas de paramètre, ni ${}, ni ${a b}, ni ${x").is_empty());
        assert_eq!(parameters_in("$${a}} ${${b}}"), vec!["a", "b"]);
    }

    #[test]
    fn substitution_keeps_unknown_parameters_visible() {
        let v = values(&[("cv", "7"), ("montant", "31 200,50")]);
        assert_eq!(
            substitute("${cv} CV => ${montant} F (${taxe})", &v),
            "7 CV => 31 200,50 F (${taxe})"
        );
        assert_eq!(substitute("rien", &v), "rien");
        assert_eq!(missing(&["cv".into(), "taxe".into()], &v), vec!["taxe"]);
    }

    #[test]
    fn assignments_read_and_write_back() {
        let v = parse_assignments(" cv=7; montant = 31 200,50 ;\n${zone}=Sud; ").unwrap();
        assert_eq!(
            v,
            values(&[("cv", "7"), ("montant", "31 200,50"), ("zone", "Sud")])
        );
        assert_eq!(format_assignments(&v), "cv=7; montant=31 200,50; zone=Sud");
        assert_eq!(parse_assignments(&format_assignments(&v)).unwrap(), v);
        assert_eq!(
            parse_assignments("cv=7; cv=8"),
            Err(ParamError::Duplicate("cv".into()))
        );
        assert_eq!(
            parse_assignments("cv 7"),
            Err(ParamError::NoEquals("cv 7".into()))
        );
        assert_eq!(
            parse_assignments("c v=7"),
            Err(ParamError::BadName("c v".into()))
        );
        assert!(parse_assignments("  ;  ").unwrap().is_empty());
        // A value may hold '=' (a formula the tester must type, for instance).
        assert_eq!(
            parse_assignments("filtre=a=b").unwrap(),
            values(&[("filtre", "a=b")])
        );
    }
}
