//! Languages of messages and reports. French is the default; English on request.

use serde::Serialize;

/// A language for messages and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French (default).
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Parses `fr`/`en` (and `français`, `english`...). Unknown words give French.
    pub fn parse(s: &str) -> Option<Lang> {
        match crate::model::normalize_word(s).as_str() {
            "fr" | "francais" | "french" | "fr fr" => Some(Lang::Fr),
            "en" | "english" | "anglais" | "en us" | "en gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// Language code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Picks the French or English text.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

/// Writes a ratio (0–1) as a percentage (0–100) in JSON: every rate of every JSON output is a
/// percentage, the unit of the strategies' thresholds (`execution_rate >= 95`).
pub fn serialize_percent<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) => s.serialize_some(&(x * 100.0)),
        None => s.serialize_none(),
    }
}

/// Formats a ratio as a percentage with one decimal, French style (comma) or English (dot).
pub fn percent(lang: Lang, value: Option<f64>) -> String {
    match value {
        None => "—".to_string(),
        Some(v) => {
            let s = format!("{:.1}", v * 100.0);
            match lang {
                Lang::Fr => format!("{} %", s.replace('.', ",")),
                Lang::En => format!("{s}%"),
            }
        }
    }
}

/// French or English text, picked by language (both are formatted: messages are short). Used
/// by readers for the problems they report (`crate::i18n::tr!`, re-exported where they live).
macro_rules! tr {
    ($lang:expr, $fr:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::i18n::Lang::Fr => format!($fr $(, $arg)*),
            $crate::i18n::Lang::En => format!($en $(, $arg)*),
        }
    };
}
pub(crate) use tr;
