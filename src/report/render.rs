//! minijinja environment: embedded templates, optional override folder, escaping.
//!
//! Escaping is decided by the template name: `.html` → HTML auto-escape (minijinja's own),
//! `.md` → Markdown escape (every `|`, `<`, `>`, `*`, `_`, `` ` ``, `[`, `]`, `#`, `\`, line
//! breaks… of data is neutralised by [`markdown_escape`]), anything else (CSS) → none.
//! Values a template marks `|safe` (the inline SVG charts built in Rust, themselves escaped)
//! pass through.

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use crate::error::{Error, Result};

/// The embedded templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("bilan.html", include_str!("../../templates/bilan.html")),
    ("bilan.md", include_str!("../../templates/bilan.md")),
    ("pv.html", include_str!("../../templates/pv.html")),
    ("copil.html", include_str!("../../templates/copil.html")),
    ("style.css", include_str!("../../templates/style.css")),
];

/// Escapes text for a Markdown table cell or paragraph.
pub fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders templates.
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    /// An environment over the embedded templates, each replaceable by a file of the same name in
    /// `overrides`.
    pub fn new(overrides: Option<&Path>) -> Result<Renderer> {
        Renderer::with_templates(TEMPLATES, overrides)
    }

    /// An environment over another set of embedded templates (the web pages'), each
    /// replaceable by a file of the same name in `overrides`, with the same escaping.
    pub fn with_templates(
        templates: &'static [(&'static str, &'static str)],
        overrides: Option<&Path>,
    ) -> Result<Renderer> {
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(Error::input(
                    format!("dossier de modèles introuvable : {}", dir.display()),
                    format!("templates folder not found: {}", dir.display()),
                ));
            }
        }
        let mut env = Environment::new();
        let dir: Option<PathBuf> = overrides.map(Path::to_path_buf);
        env.set_loader(move |name| {
            if let Some(dir) = &dir {
                // Only plain file names: no path may escape the folder.
                if !name.contains(['/', '\\']) && !name.starts_with('.') {
                    let p = dir.join(name);
                    if p.is_file() {
                        return std::fs::read_to_string(&p).map(Some).map_err(|e| {
                            minijinja::Error::new(
                                minijinja::ErrorKind::InvalidOperation,
                                format!("{}: {e}", p.display()),
                            )
                        });
                    }
                }
            }
            Ok(templates
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, src)| (*src).to_string()))
        });
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".htm") {
                AutoEscape::Html
            } else if name.ends_with(".md") {
                AutoEscape::Custom("markdown")
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == AutoEscape::Custom("markdown") {
                if value.is_safe() {
                    return write!(out, "{value}").map_err(minijinja::Error::from);
                }
                let text = if value.is_none() || value.is_undefined() {
                    String::new()
                } else {
                    value.to_string()
                };
                out.write_str(&markdown_escape(&text))
                    .map_err(minijinja::Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        env.add_filter("md", |v: Value| markdown_escape(&v.to_string()));
        Ok(Renderer { env })
    }

    /// The environment, to add functions and filters (the web pages' `t`).
    pub fn env_mut(&mut self) -> &mut Environment<'static> {
        &mut self.env
    }

    /// Renders a template with a context.
    pub fn render<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String> {
        let tmpl = self.env.get_template(name).map_err(template_error)?;
        tmpl.render(ctx).map_err(template_error)
    }
}

fn template_error(e: minijinja::Error) -> Error {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(&format!(" ({s})"));
        src = s.source();
    }
    Error::input(
        format!("modèle de rapport : {msg}"),
        format!("report template: {msg}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping() {
        assert_eq!(markdown_escape("a|b"), "a\\|b");
        assert_eq!(
            markdown_escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(markdown_escape("x\ny"), "x y");
    }

    #[test]
    fn html_and_markdown_autoescape() {
        let r = Renderer::new(None).unwrap();
        let mut env = r.env.clone();
        env.add_template_owned("x.html", "{{ v }}").unwrap();
        env.add_template_owned("x.md", "{{ v }}").unwrap();
        let ctx = serde_json::json!({"v": "<b>|</b>"});
        assert_eq!(
            env.get_template("x.html").unwrap().render(&ctx).unwrap(),
            "&lt;b&gt;|&lt;&#x2f;b&gt;"
        );
        assert_eq!(
            env.get_template("x.md").unwrap().render(&ctx).unwrap(),
            "&lt;b&gt;\\|&lt;/b&gt;"
        );
    }
}
