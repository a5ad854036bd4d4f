//! PDF/A-2b reports (the bilan and the PV), written natively with krilla: A4 pages, DejaVu
//! fonts embedded (subset; files and licence in `assets/fonts/`), a small layout of our own:
//! paragraphs broken into lines, tables whose rows never split and whose header row repeats
//! on each page, headings kept with what follows, "page X / Y" at the foot of every page.
//!
//! The content is the [`View`] the HTML reports are rendered from, in the same order and words;
//! its charts (tests by status, executions per day) are drawn here with the same colours.

use std::collections::BTreeMap;

use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use super::view::View;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::ExecStatus;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const MONO: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 42.0;
const FOOT: f32 = 30.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const BODY: f32 = 9.0;
const PAD: f32 = 3.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
    Mono,
}

type Colour = (u8, u8, u8);
const INK: Colour = (0x1a, 0x2b, 0x49);
const MUTED: Colour = (0x54, 0x6e, 0x7a);
const ACCENT: Colour = (0x23, 0x40, 0x8e);
const LINE: Colour = (0xcf, 0xd8, 0xdc);
const HEAD: Colour = (0xee, 0xf1, 0xf6);

/// One drawing operation, placed on a page.
enum Op {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        colour: Colour,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Colour>,
        stroke: Option<Colour>,
    },
}

/// Text widths, from the fonts' advance widths.
struct Metrics {
    faces: [ttf_parser::Face<'static>; 3],
}

impl Metrics {
    fn new() -> Result<Metrics> {
        let parse = |d: &'static [u8]| {
            ttf_parser::Face::parse(d, 0).map_err(|e| Error::Other(format!("police PDF : {e}")))
        };
        Ok(Metrics {
            faces: [parse(REGULAR)?, parse(BOLD)?, parse(MONO)?],
        })
    }

    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let f = &self.faces[face as usize];
        let upm = f32::from(f.units_per_em());
        let units: f32 = text
            .chars()
            .map(|c| {
                f.glyph_index(c)
                    .and_then(|g| f.glyph_hor_advance(g))
                    .map(f32::from)
                    .unwrap_or(upm * 0.6)
            })
            .sum();
        units * size / upm
    }

    /// Greedy line breaking at spaces; a word wider than the line is cut.
    fn wrap(&self, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(face, size, &candidate) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone, cut where it overflows.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(face, size, &piece) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }
}

/// A table cell: text and its face.
#[derive(Clone)]
struct Cell {
    text: String,
    face: Face,
    fill: Option<Colour>,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        face: Face::Regular,
        fill: None,
    }
}

fn bold(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        face: Face::Bold,
        fill: None,
    }
}

fn mono(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        face: Face::Mono,
        fill: None,
    }
}

/// Lays content out into pages.
struct Layout {
    m: Metrics,
    pages: Vec<Vec<Op>>,
    y: f32,
    footer: String,
    /// Where the headings just written start (page, first op, y), while nothing but headings
    /// and charts followed them: a table that moves to the next page takes them along.
    heading_at: Option<(usize, usize, f32)>,
}

impl Layout {
    fn new(footer: String) -> Result<Layout> {
        Ok(Layout {
            m: Metrics::new()?,
            pages: vec![Vec::new()],
            y: MARGIN,
            footer,
            heading_at: None,
        })
    }

    fn bottom() -> f32 {
        PAGE_H - MARGIN - FOOT
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// [`Self::ensure`], moving the headings just written (and what stands between them and
    /// here) to the new page with the content they announce.
    fn ensure_with_heading(&mut self, h: f32) {
        if self.y + h <= Self::bottom() || self.y <= MARGIN {
            return;
        }
        let Some((page, first, y0)) = self.heading_at.take() else {
            self.new_page();
            return;
        };
        if page + 1 != self.pages.len() || y0 <= MARGIN {
            self.new_page();
            return;
        }
        let moved = self.pages[page].split_off(first);
        let below = self.y - y0;
        self.new_page();
        let dy = MARGIN - y0;
        for mut op in moved {
            match &mut op {
                Op::Text { y, .. } | Op::Rect { y, .. } => *y += dy,
            }
            self.op(op);
        }
        self.y = MARGIN + below;
    }

    fn ensure(&mut self, h: f32) {
        if self.y + h > Self::bottom() && self.y > MARGIN {
            self.new_page();
        }
    }

    fn op(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.push(op);
        }
    }

    fn text_at(&mut self, x: f32, y: f32, face: Face, size: f32, colour: Colour, text: &str) {
        self.op(Op::Text {
            x,
            y,
            face,
            size,
            colour,
            text: text.to_string(),
        });
    }

    /// A paragraph; `keep` extra height must follow on the same page (headings).
    fn para_full(&mut self, text: &str, face: Face, size: f32, colour: Colour, keep: f32) {
        let lh = size * 1.35;
        let lines = self.m.wrap(face, size, text, CONTENT_W);
        if keep > 0.0 {
            self.ensure(lh * lines.len() as f32 + keep);
        }
        for l in lines {
            self.ensure(lh);
            self.y += lh;
            let y = self.y - size * 0.3;
            self.text_at(MARGIN, y, face, size, colour, &l);
        }
        self.y += size * 0.4;
    }

    fn para(&mut self, text: &str) {
        self.heading_at = None;
        self.para_full(text, Face::Regular, BODY, INK, 0.0);
    }

    fn note(&mut self, text: &str) {
        self.heading_at = None;
        self.para_full(text, Face::Regular, BODY - 1.5, MUTED, 0.0);
    }

    /// A bar the width of the page split by status (each part its share of the tests), with
    /// its legend: the HTML's doughnut, drawn for paper.
    fn status_bar(&mut self, rows: &[super::view::StatusRow], total: usize) {
        if total == 0 {
            return;
        }
        let h = 14.0;
        self.ensure_with_heading(h + 24.0);
        let mut x = MARGIN;
        for r in rows.iter().filter(|r| r.count > 0) {
            let w = CONTENT_W * r.count as f32 / total as f32;
            self.op(Op::Rect {
                x,
                y: self.y,
                w,
                h,
                fill: Some(status_fill(r.code)),
                stroke: None,
            });
            x += w;
        }
        self.y += h + 4.0;
        let items: Vec<(Colour, String)> = rows
            .iter()
            .map(|r| (status_fill(r.code), format!("{} {}", r.label, r.count)))
            .collect();
        self.legend(&items);
    }

    /// Coloured squares and their labels, on as many lines as they need.
    fn legend(&mut self, items: &[(Colour, String)]) {
        let size = BODY - 1.5;
        let mut x = MARGIN;
        self.ensure(size * 1.6);
        self.y += size * 1.3;
        for (colour, text) in items {
            let w = 10.0 + self.m.width(Face::Regular, size, text) + 12.0;
            if x + w > MARGIN + CONTENT_W && x > MARGIN {
                x = MARGIN;
                self.ensure(size * 1.6);
                self.y += size * 1.5;
            }
            self.op(Op::Rect {
                x,
                y: self.y - size * 0.8,
                w: 7.0,
                h: 7.0,
                fill: Some(*colour),
                stroke: None,
            });
            self.text_at(x + 10.0, self.y, Face::Regular, size, MUTED, text);
            x += w;
        }
        self.y += size;
    }

    /// Stacked columns of executions per day, every status in the legend, the dates as the
    /// report's language writes them (a label every few days when they would overlap).
    fn timeline(&mut self, days: &BTreeMap<String, BTreeMap<String, usize>>, lang: &str) {
        let lang = Lang::parse(lang).unwrap_or_default();
        let plot_h = 110.0;
        let axis_w = 24.0;
        let label_size = BODY - 2.0;
        self.ensure_with_heading(plot_h + 50.0);
        self.heading_at = None;
        let top = self.y + 4.0;
        let bottom = top + plot_h;
        let max = super::charts::busiest_day(days);
        // Axis from 0 to the highest day, gridlines at 0, half and the top.
        for (i, v) in [0, max / 2, max].iter().enumerate() {
            if i == 1 && (max < 2 || *v == 0) {
                continue;
            }
            let y = bottom - plot_h * *v as f32 / max as f32;
            self.op(Op::Rect {
                x: MARGIN + axis_w,
                y,
                w: CONTENT_W - axis_w,
                h: 0.4,
                fill: Some(LINE),
                stroke: None,
            });
            let text = v.to_string();
            let tw = self.m.width(Face::Regular, label_size, &text);
            self.text_at(
                MARGIN + axis_w - 4.0 - tw,
                y + label_size * 0.35,
                Face::Regular,
                label_size,
                MUTED,
                &text,
            );
        }
        let n = days.len().max(1);
        let slot = (CONTENT_W - axis_w) / n as f32;
        let col_w = (slot * 0.7).min(28.0);
        let label_w = self.m.width(Face::Regular, label_size, "00/00") + 6.0;
        let every = (label_w / slot).ceil().max(1.0) as usize;
        for (i, (day, counts)) in days.iter().enumerate() {
            let x = MARGIN + axis_w + slot * i as f32 + (slot - col_w) / 2.0;
            let mut y = bottom;
            for s in ExecStatus::CHART_ORDER {
                let c = counts.get(s.code()).copied().unwrap_or(0);
                if c == 0 {
                    continue;
                }
                let h = plot_h * c as f32 / max as f32;
                y -= h;
                self.op(Op::Rect {
                    x,
                    y,
                    w: col_w,
                    h,
                    fill: Some(status_fill(s.code())),
                    stroke: None,
                });
            }
            if i % every == 0 {
                let text = super::charts::day_label(day, lang, true);
                let tw = self.m.width(Face::Regular, label_size, &text);
                self.text_at(
                    x + col_w / 2.0 - tw / 2.0,
                    bottom + label_size * 1.4,
                    Face::Regular,
                    label_size,
                    MUTED,
                    &text,
                );
            }
        }
        self.y = bottom + label_size * 2.0;
        let items: Vec<(Colour, String)> = ExecStatus::CHART_ORDER
            .iter()
            .map(|s| (status_fill(s.code()), s.label(lang).to_string()))
            .collect();
        self.legend(&items);
        self.y += 6.0;
    }

    /// A heading kept with at least 60 pt of what follows (never orphaned at the foot).
    fn heading(&mut self, text: &str, level: u8) {
        let size = match level {
            1 => 18.0,
            2 => 12.5,
            _ => 10.5,
        };
        self.y += if level == 2 { 10.0 } else { 5.0 };
        let colour = if level <= 2 { ACCENT } else { INK };
        let lines = self.m.wrap(Face::Bold, size, text, CONTENT_W).len();
        self.ensure(size * 1.35 * lines as f32 + 90.0);
        // Consecutive headings move together: the first one's mark is kept.
        let mark = self.heading_at.take().unwrap_or((
            self.pages.len() - 1,
            self.pages.last().map_or(0, Vec::len),
            self.y,
        ));
        self.para_full(text, Face::Bold, size, colour, 90.0);
        if level == 2 {
            let y = self.y - 2.0;
            self.op(Op::Rect {
                x: MARGIN,
                y,
                w: CONTENT_W,
                h: 0.6,
                fill: Some(LINE),
                stroke: None,
            });
            self.y += 3.0;
        }
        self.heading_at = Some(mark);
    }

    /// Column widths: the `fractions` of the line, except that a column gets at least its
    /// widest word (header included), taken from the columns with room to spare, so no word
    /// is cut ("Couvertes", not "Couverte|s"). Words longer than 40 % of the line (a hash) and
    /// tables whose words cannot all fit keep the plain fractions: those words are cut.
    fn column_widths(
        &self,
        head: &[Cell],
        fractions: &[f32],
        rows: &[Vec<Cell>],
        size: f32,
    ) -> Vec<f32> {
        let total: f32 = fractions.iter().sum::<f32>().max(0.01);
        let plain: Vec<f32> = fractions.iter().map(|f| f / total * CONTENT_W).collect();
        let need: Vec<f32> = (0..plain.len())
            .map(|i| {
                let widest = std::iter::once(head.get(i))
                    .chain(rows.iter().map(|r| r.get(i)))
                    .flatten()
                    .flat_map(|c| {
                        let face_size = if c.face == Face::Mono {
                            size - 1.0
                        } else {
                            size
                        };
                        c.text
                            .split([' ', '\n'])
                            .map(move |w| self.m.width(c.face, face_size, w))
                    })
                    .fold(0.0f32, f32::max);
                // A little more than the word: the measured width is not the drawn one to the
                // hundredth of a point.
                (widest + 2.0 * PAD + 0.5).min(CONTENT_W * 0.4)
            })
            .collect();
        let needed: f32 = plain.iter().zip(&need).map(|(p, n)| p.max(*n)).sum();
        if needed <= CONTENT_W + 0.01 || need.iter().sum::<f32>() > CONTENT_W {
            return plain;
        }
        // Every column at least its need; what is left shared by each one's room above it.
        let spare = CONTENT_W - need.iter().sum::<f32>();
        let room: Vec<f32> = plain
            .iter()
            .zip(&need)
            .map(|(p, n)| (p - n).max(0.0))
            .collect();
        let all_room: f32 = room.iter().sum();
        need.iter()
            .zip(&room)
            .map(|(n, r)| {
                if all_room > 0.0 {
                    n + spare * r / all_room
                } else {
                    n + spare / plain.len() as f32
                }
            })
            .collect()
    }

    fn row_height(&self, cells: &[Cell], widths: &[f32], size: f32) -> (f32, Vec<Vec<String>>) {
        let lh = size * 1.3;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| {
                let face_size = if c.face == Face::Mono {
                    size - 1.0
                } else {
                    size
                };
                self.m.wrap(c.face, face_size, &c.text, w - 2.0 * PAD)
            })
            .collect();
        let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (n as f32 * lh + 2.0 * PAD, wrapped)
    }

    fn draw_row(&mut self, cells: &[Cell], widths: &[f32], size: f32, header: bool) {
        let (h, wrapped) = self.row_height(cells, widths, size);
        let lh = size * 1.3;
        let mut x = MARGIN;
        for ((c, w), lines) in cells.iter().zip(widths).zip(wrapped) {
            let fill = if header { Some(HEAD) } else { c.fill };
            self.op(Op::Rect {
                x,
                y: self.y,
                w: *w,
                h,
                fill,
                stroke: Some(LINE),
            });
            let face = if header { Face::Bold } else { c.face };
            let face_size = if face == Face::Mono { size - 1.0 } else { size };
            for (i, l) in lines.iter().enumerate() {
                let y = self.y + PAD + lh * (i as f32 + 1.0) - size * 0.3;
                self.text_at(x + PAD, y, face, face_size, INK, l);
            }
            x += w;
        }
        self.y += h;
    }

    /// A table: column widths as fractions of the line; rows never split; the header row is
    /// repeated at the top of each page the table continues on.
    fn table(&mut self, header: &[&str], fractions: &[f32], rows: &[Vec<Cell>]) {
        let size = BODY - 1.0;
        let head: Vec<Cell> = header.iter().map(|h| bold(*h)).collect();
        let widths = self.column_widths(&head, fractions, rows, size);
        let (hh, _) = self.row_height(&head, &widths, size);
        let first = rows
            .first()
            .map(|r| self.row_height(r, &widths, size).0)
            .unwrap_or(0.0);
        // A short table (a third of a page at most) is kept whole on one page: no total row
        // left alone under a repeated header.
        let whole: f32 = rows
            .iter()
            .map(|r| self.row_height(r, &widths, size).0)
            .sum();
        let keep = if whole <= (PAGE_H - 2.0 * MARGIN) / 3.0 {
            whole
        } else {
            first
        };
        if header.is_empty() {
            self.ensure_with_heading(keep);
        } else {
            self.ensure_with_heading(hh + keep);
            self.draw_row(&head, &widths, size, true);
        }
        self.heading_at = None;
        for r in rows {
            let (h, _) = self.row_height(r, &widths, size);
            if self.y + h > Self::bottom() {
                self.new_page();
                if !header.is_empty() {
                    self.draw_row(&head, &widths, size, true);
                }
            }
            self.draw_row(r, &widths, size, false);
        }
        self.y += 8.0;
    }

    /// Writes the pages: the operations, then "page X / Y" and the footer.
    fn finish(self, title: &str, lang: &str, date: &str) -> Result<Vec<u8>> {
        let config = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish()
            .map_err(|e| Error::Other(format!("PDF/A : {e:?}")))?;
        let settings = SerializeSettings {
            configuration: config,
            enable_tagging: false,
            ..SerializeSettings::default()
        };
        let mut doc = Document::new_with(settings);
        let font = |d: &'static [u8]| {
            Font::new(d.to_vec().into(), 0).ok_or_else(|| Error::Other("police PDF".into()))
        };
        let fonts = [font(REGULAR)?, font(BOLD)?, font(MONO)?];
        let total = self.pages.len();
        // "page X / Y" reads the same in French and English.
        let page_word = "page";
        for (i, ops) in self.pages.iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
                .ok_or_else(|| Error::Other("page PDF".into()))?;
            let mut page = doc.start_page_with(settings);
            let mut s = page.surface();
            let foot = format!("{page_word} {} / {total}", i + 1);
            let foot_w = self.m.width(Face::Regular, 7.5, &foot);
            let footer_ops = [
                Op::Rect {
                    x: MARGIN,
                    y: PAGE_H - MARGIN - 12.0,
                    w: CONTENT_W,
                    h: 0.5,
                    fill: Some(LINE),
                    stroke: None,
                },
                Op::Text {
                    x: MARGIN,
                    y: PAGE_H - MARGIN,
                    face: Face::Regular,
                    size: 7.5,
                    colour: MUTED,
                    text: self.footer.clone(),
                },
                Op::Text {
                    x: PAGE_W - MARGIN - foot_w,
                    y: PAGE_H - MARGIN,
                    face: Face::Regular,
                    size: 7.5,
                    colour: MUTED,
                    text: foot,
                },
            ];
            for op in ops.iter().chain(footer_ops.iter()) {
                match op {
                    Op::Text {
                        x,
                        y,
                        face,
                        size,
                        colour,
                        text,
                    } => {
                        if text.is_empty() {
                            continue;
                        }
                        s.set_fill(Some(fill(*colour)));
                        s.set_stroke(None);
                        s.draw_text(
                            Point::from_xy(*x, *y),
                            fonts[*face as usize].clone(),
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Rect {
                        x,
                        y,
                        w,
                        h,
                        fill: f,
                        stroke,
                    } => {
                        let Some(rect) = Rect::from_xywh(*x, *y, w.max(0.1), h.max(0.1)) else {
                            continue;
                        };
                        let mut pb = PathBuilder::new();
                        pb.push_rect(rect);
                        let Some(path) = pb.finish() else { continue };
                        s.set_fill(f.map(fill));
                        s.set_stroke(stroke.map(|c| Stroke {
                            paint: rgb::Color::new(c.0, c.1, c.2).into(),
                            width: 0.5,
                            ..Stroke::default()
                        }));
                        s.draw_path(&path);
                    }
                }
            }
            s.finish();
            page.finish();
        }
        let mut meta = Metadata::new()
            .title(title.to_string())
            .language(lang.to_string())
            .creator("recette".to_string())
            .producer("recette (krilla)".to_string());
        // PDF/A needs a document date: an undated report (no issue date asked for) gets a
        // fixed one, so that it stays the same bytes.
        let d = date_time(date).or_else(|| date_time("2000-01-01"));
        if let Some(d) = d {
            meta = meta.creation_date(d);
        }
        doc.set_metadata(meta);
        doc.finish()
            .map_err(|e| Error::Other(format!("PDF/A non conforme ou non écrit : {e:?}")))
    }
}

fn fill(c: Colour) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// `YYYY-MM-DD...` as a PDF date (UTC); none when it does not parse.
fn date_time(s: &str) -> Option<DateTime> {
    let d = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    let mut dt = DateTime::new(u16::try_from(d.year()).ok()?)
        .month(u8::try_from(d.month()).ok()?)
        .day(u8::try_from(d.day()).ok()?);
    if let (Some(h), Some(m)) = (s.get(11..13), s.get(14..16)) {
        if let (Ok(h), Ok(m)) = (h.parse::<u8>(), m.parse::<u8>()) {
            dt = dt.hour(h).minute(m).utc_offset_hour(0);
        }
    }
    Some(dt)
}

fn t<'a>(v: &'a View, k: &str) -> &'a str {
    v.t.get(k).copied().unwrap_or("")
}

/// A status's colour in every chart (the HTML's, from [`super::charts::status_colour`]).
fn status_fill(code: &str) -> Colour {
    let v = super::charts::status_rgb(code);
    (
        ((v >> 16) & 0xff) as u8,
        ((v >> 8) & 0xff) as u8,
        (v & 0xff) as u8,
    )
}

fn tone_fill(tone: &str) -> Option<Colour> {
    match tone {
        "ok" => Some((0xe8, 0xf5, 0xe9)),
        "warn" => Some((0xff, 0xf3, 0xe0)),
        "ko" => Some((0xfd, 0xec, 0xea)),
        _ => None,
    }
}

fn masthead(l: &mut Layout, v: &View, title: &str, meta: &str) {
    let org = if v.buyer.is_empty() {
        v.project.clone()
    } else {
        format!("{} — {}", v.buyer, v.project)
    };
    l.para_full(&org.to_uppercase(), Face::Bold, 7.5, MUTED, 0.0);
    l.heading(title, 1);
    let sub = format!(
        "{} — {} {}",
        v.campaign.phase,
        t(v, "campaign"),
        v.campaign.reference
    );
    l.para_full(&sub, Face::Regular, 11.0, INK, 0.0);
    if !meta.is_empty() {
        l.note(meta);
    }
    let y = l.y;
    l.op(Op::Rect {
        x: MARGIN,
        y,
        w: CONTENT_W,
        h: 2.0,
        fill: Some(ACCENT),
        stroke: None,
    });
    l.y += 10.0;
}

fn kv(rows: Vec<(&str, String)>) -> Vec<Vec<Cell>> {
    rows.into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            vec![
                Cell {
                    text: k.to_string(),
                    face: Face::Bold,
                    fill: Some(HEAD),
                },
                cell(v),
            ]
        })
        .collect()
}

fn contract_line(v: &View) -> String {
    match (v.contract.is_empty(), v.contract_title.is_empty()) {
        (false, false) => format!("{} — {}", v.contract, v.contract_title),
        (false, true) => v.contract.clone(),
        (true, false) => v.contract_title.clone(),
        (true, true) => String::new(),
    }
}

fn buyer_line(v: &View) -> String {
    if v.buyer_service.is_empty() {
        v.buyer.clone()
    } else {
        format!("{} — {}", v.buyer, v.buyer_service)
    }
}

fn delivery_line(v: &View) -> String {
    v.delivery
        .as_ref()
        .map(|d| {
            let mut s = d.reference.clone();
            if !d.version.is_empty() {
                s.push_str(&format!(" — {} {}", t(v, "version"), d.version));
            }
            if !d.delivered.is_empty() {
                s.push_str(&format!(
                    " — {} {}",
                    t(v, "delivered_date").to_lowercase(),
                    d.delivered
                ));
            }
            s
        })
        .unwrap_or_default()
}

fn campaign_line(v: &View) -> String {
    let c = &v.campaign;
    let mut s = format!("{} — {}", c.reference, c.title);
    if !c.start.is_empty() || !c.end.is_empty() {
        let or = |x: &str| {
            if x.is_empty() {
                "—".to_string()
            } else {
                x.to_string()
            }
        };
        s.push_str(&format!(
            " ({} {} {} {})",
            t(v, "from"),
            or(&c.start),
            t(v, "to"),
            or(&c.end)
        ));
    }
    s
}

fn reservations_table(l: &mut Layout, v: &View, with_lifted: bool) {
    let mut head = vec![
        t(v, "reservation"),
        t(v, "description"),
        t(v, "severity"),
        t(v, "deadline"),
    ];
    let mut fr = vec![1.2, 5.0, 1.3, 1.4];
    if with_lifted {
        head.push(t(v, "lifted"));
        fr.push(1.3);
    }
    let rows: Vec<Vec<Cell>> = v
        .reservations
        .iter()
        .map(|r| {
            let mut row = vec![
                mono(if r.reference.is_empty() {
                    "—"
                } else {
                    &r.reference
                }),
                cell(&r.description),
                cell(&r.severity),
                cell(&r.deadline),
            ];
            if with_lifted {
                row.push(cell(if r.lifted.is_empty() {
                    "—"
                } else {
                    &r.lifted
                }));
            }
            row
        })
        .collect();
    l.table(&head, &fr, &rows);
}

/// The PV as PDF/A-2b.
pub fn pv(v: &View) -> Result<Vec<u8>> {
    let mut footer = format!(
        "{} — {} {}",
        t(v, "generated_by"),
        t(v, "pv_title"),
        v.campaign.reference
    );
    let signed = v.signoff.as_ref();
    if let Some(s) = signed {
        footer.push_str(&format!(" — {} {}", t(v, "signoff_number"), s.number));
    }
    let mut l = Layout::new(footer)?;
    let meta = match signed {
        Some(s) => format!("{} {}", t(v, "signed_on"), s.signed_at),
        None if !v.issued_on.is_empty() => format!("{} {}", t(v, "edited_on"), v.issued_on),
        None => String::new(),
    };
    masthead(&mut l, v, t(v, "pv_title"), &meta);
    if let Some(dir) = signed.and_then(|s| s.sealed_in.as_ref()) {
        let text = format!("{} {dir}", t(v, "unsealed_copy"));
        l.para_full(&text, Face::Bold, BODY, (0x8d, 0x5b, 0x00), 0.0);
    }
    if let Some(p) = signed.and_then(|s| s.supersedes.as_ref()) {
        let mut text = format!(
            "{} {} {} {}",
            t(v, "supersedes"),
            p.number,
            t(v, "of"),
            p.signed_at
        );
        if !p.reason.is_empty() {
            text.push_str(&format!(
                " — {}{} {}",
                t(v, "reason"),
                t(v, "colon"),
                p.reason
            ));
        }
        l.para_full(&text, Face::Bold, BODY, (0x8d, 0x5b, 0x00), 0.0);
    }
    let rows = kv(vec![
        (t(v, "buyer"), buyer_line(v)),
        (t(v, "contract"), v.contract.clone()),
        (t(v, "contract_title"), v.contract_title.clone()),
        (t(v, "vendor"), v.vendor.clone()),
        (t(v, "project"), v.project.clone()),
        (t(v, "delivery"), delivery_line(v)),
        (
            t(v, "lot"),
            v.delivery
                .as_ref()
                .map(|d| d.lot.clone())
                .unwrap_or_default(),
        ),
        (t(v, "phase"), v.campaign.phase.clone()),
        (t(v, "campaign"), campaign_line(v)),
    ]);
    l.table(&[], &[1.0, 2.6], &rows);
    l.para(t(v, "pv_intro"));
    let decision_title = if signed.is_some() {
        t(v, "signed_decision")
    } else {
        t(v, "proposed_decision")
    };
    l.heading(decision_title, 2);
    for d in &v.decisions {
        let mark = if d.chosen { "☒" } else { "☐" };
        let face = if d.chosen { Face::Bold } else { Face::Regular };
        l.para_full(&format!("{mark}  {}", d.label), face, BODY + 1.0, INK, 0.0);
    }
    l.para_full(&v.pv_decision.label, Face::Bold, 14.0, ACCENT, 0.0);
    for r in &v.pv_decision.reasons {
        l.para(&format!("• {r}"));
    }
    l.note(&format!(
        "{}{} {}",
        t(v, "legal_basis"),
        t(v, "colon"),
        v.pv_article
    ));
    if signed.is_none() {
        l.note(t(v, "not_signed"));
    }
    l.heading(t(v, "key_figures"), 2);
    let rows: Vec<Vec<Cell>> = v
        .kpis
        .iter()
        .map(|k| vec![bold(&k.label), cell(&k.value), cell(&k.detail)])
        .collect();
    l.table(&[], &[2.2, 1.0, 2.6], &rows);
    l.heading(t(v, "reservations"), 2);
    if !v.reservations.is_empty() && (v.pv_decision.code == "reserves" || signed.is_some()) {
        l.para(t(v, "pv_reservations_intro"));
        reservations_table(&mut l, v, signed.is_some());
    } else {
        l.para(t(v, "no_reservation"));
    }
    l.heading(t(v, "based_on"), 2);
    if v.based_on.is_empty() {
        l.para(t(v, "no_based_on"));
    } else {
        l.para(t(v, "based_on_intro"));
        let rows: Vec<Vec<Cell>> = v
            .based_on
            .iter()
            .map(|b| vec![cell(&b.title), mono(&b.file), mono(&b.sha256)])
            .collect();
        l.table(
            &[t(v, "description"), t(v, "file"), t(v, "sha256")],
            &[1.3, 1.3, 3.4],
            &rows,
        );
    }
    // Signatures: the heading, the place and date, and every block on one page.
    let blocks = v.parties.iter().map(|p| p.blocks.len()).max().unwrap_or(1) as f32;
    let needed = 60.0 + blocks * 130.0;
    l.ensure(needed);
    l.heading(t(v, "signatories"), 2);
    let dots = "……………………";
    let place = if v.place.is_empty() { dots } else { &v.place };
    let date = if v.signing_date.is_empty() {
        dots
    } else {
        &v.signing_date
    };
    l.para(&format!(
        "{} {place}, {} {date}",
        t(v, "done_at"),
        t(v, "on")
    ));
    let top = l.y + 4.0;
    let col_w = (CONTENT_W - 16.0) / 2.0;
    let mut bottom = top;
    for (i, p) in v.parties.iter().enumerate() {
        let x = MARGIN + i as f32 * (col_w + 16.0);
        let mut y = top + 12.0;
        l.text_at(x, y, Face::Bold, 10.5, INK, &p.heading);
        y += 8.0;
        for b in &p.blocks {
            let h = 122.0;
            l.op(Op::Rect {
                x,
                y,
                w: col_w,
                h,
                fill: None,
                stroke: Some(LINE),
            });
            let mut ly = y + 14.0;
            for (k, val) in [
                ("name", &b.name),
                ("function", &b.function),
                ("organisation", &b.organisation),
            ] {
                let label = format!("{}{}", t(v, k), t(v, "colon"));
                l.text_at(x + 6.0, ly, Face::Regular, 8.0, MUTED, &label);
                let lw = l.m.width(Face::Regular, 8.0, &label) + 4.0;
                let lines = l.m.wrap(Face::Regular, 8.5, val, col_w - 12.0 - lw);
                if let Some(first) = lines.first() {
                    l.text_at(x + 6.0 + lw, ly, Face::Regular, 8.5, INK, first);
                }
                ly += 12.0;
            }
            l.op(Op::Rect {
                x: x + 6.0,
                y: ly - 4.0,
                w: col_w - 12.0,
                h: y + h - ly - 2.0,
                fill: None,
                stroke: Some(LINE),
            });
            l.text_at(
                x + 10.0,
                ly + 6.0,
                Face::Regular,
                7.0,
                MUTED,
                t(v, "signature_stamp"),
            );
            y += h + 8.0;
        }
        if signed.is_some() && !p.named && p.code == "vendor" {
            l.text_at(
                x,
                y + 8.0,
                Face::Regular,
                7.5,
                MUTED,
                t(v, "no_vendor_signatory"),
            );
            y += 14.0;
        }
        bottom = bottom.max(y);
    }
    l.y = bottom;
    let title = format!(
        "{} — {} — {}",
        t(v, "pv_title"),
        v.campaign.reference,
        v.project
    );
    let date = signed
        .map(|_| v.signing_date.clone())
        .unwrap_or_else(|| v.issued_on.clone());
    l.finish(&title, v.lang, &iso_of(&date))
}

/// `03/04/2026` or `2026-04-03` back to ISO for the PDF's date.
fn iso_of(shown: &str) -> String {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(shown, "%d/%m/%Y") {
        return d.format("%Y-%m-%d").to_string();
    }
    shown.to_string()
}

/// The bilan as PDF/A-2b.
pub fn bilan(v: &View) -> Result<Vec<u8>> {
    let footer = format!(
        "{} — {} {}{}",
        t(v, "generated_by"),
        t(v, "report_of"),
        v.campaign.reference,
        if v.issued_on.is_empty() {
            String::new()
        } else {
            format!(" — {} {}", t(v, "edited_on"), v.issued_on)
        }
    );
    let mut l = Layout::new(footer)?;
    let meta = if v.issued_on.is_empty() {
        String::new()
    } else {
        format!("{} {}", t(v, "edited_on"), v.issued_on)
    };
    masthead(&mut l, v, t(v, "bilan_title"), &meta);

    l.heading(&format!("1. {}", t(v, "context")), 2);
    let strategy = if v.campaign.default_strategy {
        t(v, "default_strategy").to_string()
    } else if v.campaign.strategy_title.is_empty() {
        v.campaign.strategy.clone()
    } else {
        format!("{} — {}", v.campaign.strategy, v.campaign.strategy_title)
    };
    let rows = kv(vec![
        (t(v, "project"), v.project.clone()),
        (t(v, "buyer"), buyer_line(v)),
        (t(v, "contract"), contract_line(v)),
        (t(v, "campaign"), campaign_line(v)),
        (t(v, "phase"), v.campaign.phase.clone()),
        (t(v, "delivery"), delivery_line(v)),
        (t(v, "vendor"), v.vendor.clone()),
        (
            t(v, "lot"),
            v.delivery
                .as_ref()
                .map(|d| d.lot.clone())
                .unwrap_or_default(),
        ),
        (t(v, "strategy"), strategy),
        (
            t(v, "scope"),
            format!(
                "{} {} ; {} {} — {}",
                v.tests_total,
                t(v, "tests").to_lowercase(),
                v.total_row.requirements,
                t(v, "requirements").to_lowercase(),
                t(v, "scope_text")
            ),
        ),
    ]);
    l.table(&[], &[1.0, 2.8], &rows);

    l.heading(&format!("2. {}", t(v, "summary")), 2);
    l.note(t(v, "proposed_decision"));
    l.para_full(&v.decision.label, Face::Bold, 14.0, ACCENT, 0.0);
    for r in &v.decision.reasons {
        l.para(&format!("• {r}"));
    }
    l.note(t(v, "proposed_note"));
    let rows: Vec<Vec<Cell>> = v
        .kpis
        .iter()
        .map(|k| {
            let f = tone_fill(k.tone);
            vec![
                Cell {
                    text: k.label.clone(),
                    face: Face::Bold,
                    fill: f,
                },
                Cell {
                    text: k.value.clone(),
                    face: Face::Bold,
                    fill: f,
                },
                Cell {
                    text: k.detail.clone(),
                    face: Face::Regular,
                    fill: f,
                },
            ]
        })
        .collect();
    l.table(&[], &[2.2, 1.0, 2.6], &rows);

    l.heading(&format!("3. {}", t(v, "indicators")), 2);
    l.heading(t(v, "tests_by_status"), 3);
    let mut rows: Vec<Vec<Cell>> = v
        .status_rows
        .iter()
        .map(|s| vec![cell(&s.label), cell(s.count.to_string()), cell(&s.share)])
        .collect();
    rows.push(vec![
        bold(t(v, "total")),
        bold(v.tests_total.to_string()),
        cell(""),
    ]);
    l.status_bar(&v.status_rows, v.tests_total);
    l.table(
        &[t(v, "status"), t(v, "count"), t(v, "share")],
        &[3.0, 1.0, 1.0],
        &rows,
    );
    if !v.timeline.is_empty() {
        l.heading(t(v, "executions_over_time"), 3);
        l.timeline(&v.timeline, v.lang);
    }
    l.heading(t(v, "anomalies_by_severity"), 3);
    let mut rows: Vec<Vec<Cell>> = v
        .anomaly_rows
        .iter()
        .map(|a| {
            vec![
                cell(&a.label),
                cell(a.open.to_string()),
                cell(a.total.to_string()),
            ]
        })
        .collect();
    rows.push(vec![
        bold(&v.anomaly_total.label),
        bold(v.anomaly_total.open.to_string()),
        bold(v.anomaly_total.total.to_string()),
    ]);
    l.table(
        &[t(v, "severity"), t(v, "open"), t(v, "total")],
        &[3.0, 1.0, 1.0],
        &rows,
    );
    if !v.anomaly_status_rows.is_empty() {
        l.heading(t(v, "anomalies_by_status"), 3);
        let rows: Vec<Vec<Cell>> = v
            .anomaly_status_rows
            .iter()
            .map(|a| vec![cell(&a.label), cell(a.count.to_string())])
            .collect();
        l.table(&[t(v, "status"), t(v, "count")], &[3.0, 1.0], &rows);
    }
    if !v.tester_rows.is_empty() {
        l.heading(t(v, "by_tester"), 3);
        let rows: Vec<Vec<Cell>> = v
            .tester_rows
            .iter()
            .map(|p| {
                vec![
                    cell(&p.assignee),
                    cell(p.planned.to_string()),
                    cell(p.executed.to_string()),
                    cell(p.passed.to_string()),
                    cell(p.failed.to_string()),
                    cell(p.blocked.to_string()),
                    cell(p.remaining.to_string()),
                    cell(&p.progress),
                ]
            })
            .collect();
        l.table(
            &[
                t(v, "assignee"),
                t(v, "planned"),
                t(v, "executed"),
                t(v, "passed_tests"),
                t(v, "failed_tests"),
                t(v, "blocked_tests"),
                t(v, "remaining"),
                t(v, "progress"),
            ],
            &[2.4, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 1.1],
            &rows,
        );
    }
    l.heading(
        &format!(
            "{} — {}",
            t(v, "requirements"),
            t(v, "criticality").to_lowercase()
        ),
        3,
    );
    let rollup = |r: &super::view::RollupRow, b: bool| {
        let c = |s: String| if b { bold(s) } else { cell(s) };
        vec![
            c(r.label.clone()),
            c(r.requirements.to_string()),
            c(r.covered.to_string()),
            c(r.coverage.clone()),
            c(format!("{} ({})", r.passed, r.passed_rate)),
            c(r.failed.to_string()),
            c(r.blocked.to_string()),
            c(r.not_run.to_string()),
            c(r.uncovered.to_string()),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = v
        .criticality_rows
        .iter()
        .map(|r| rollup(r, false))
        .collect();
    rows.push(rollup(&v.total_row, true));
    let head = [
        t(v, "criticality"),
        t(v, "requirements"),
        t(v, "covered"),
        t(v, "coverage"),
        t(v, "passed"),
        t(v, "failed"),
        t(v, "blocked"),
        t(v, "not_run"),
        t(v, "uncovered"),
    ];
    let fr = [1.6, 1.1, 1.0, 1.1, 1.5, 1.0, 1.0, 1.0, 1.1];
    l.table(&head, &fr, &rows);
    l.heading(t(v, "coverage_by_category"), 3);
    let rows: Vec<Vec<Cell>> = v.category_rows.iter().map(|r| rollup(r, false)).collect();
    let mut head_c = head;
    head_c[0] = t(v, "category");
    l.table(&head_c, &fr, &rows);

    l.heading(&format!("4. {}", t(v, "exit_criteria")), 2);
    let rows: Vec<Vec<Cell>> = v
        .criteria
        .iter()
        .map(|c| {
            let mark = if c.met { "✓" } else { "✗" };
            let f = if c.met {
                tone_fill("ok")
            } else if c.blocking {
                tone_fill("ko")
            } else {
                tone_fill("warn")
            };
            vec![
                cell(&c.name),
                mono(&c.rule),
                cell(&c.measured),
                cell(&c.threshold),
                cell(&c.blocking_label),
                Cell {
                    text: format!("{mark} {}", c.result),
                    face: Face::Bold,
                    fill: f,
                },
            ]
        })
        .collect();
    l.table(
        &[
            t(v, "criterion"),
            t(v, "rule"),
            t(v, "measured"),
            t(v, "threshold"),
            t(v, "blocking"),
            t(v, "result"),
        ],
        &[3.0, 2.2, 1.0, 1.0, 0.9, 1.1],
        &rows,
    );

    l.heading(
        &format!("5. {} — {}", t(v, "proposed_decision"), v.decision.label),
        2,
    );
    for r in &v.decision.reasons {
        l.para(&format!("• {r}"));
    }
    if v.decision.previous_ajournements > 0 {
        l.para(&format!(
            "{}{} {} / {}",
            t(v, "ajournements"),
            t(v, "colon"),
            v.decision.previous_ajournements,
            v.decision.max_ajournements
        ));
    }
    l.heading(t(v, "reservations"), 3);
    if v.reservations.is_empty() {
        l.para(t(v, "no_reservation"));
    } else {
        reservations_table(&mut l, v, false);
    }

    l.heading(&format!("6. {}", t(v, "failed_blocked")), 2);
    if v.failed_tests.is_empty() {
        l.para(t(v, "none"));
    } else {
        let rows: Vec<Vec<Cell>> = v
            .failed_tests
            .iter()
            .map(|f| {
                let mut r = f.reference.clone();
                if !f.dataset.is_empty() {
                    r.push_str(&format!("\n{} {}", t(v, "dataset"), f.dataset));
                }
                let anomalies = f
                    .anomalies
                    .iter()
                    .map(|a| {
                        if a.severity.is_empty() {
                            a.reference.clone()
                        } else {
                            format!("{} — {}, {}", a.reference, a.severity, a.status)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                vec![
                    mono(r),
                    cell(&f.title),
                    cell(f.status_label),
                    cell(&f.tester),
                    cell(&f.executed_at),
                    cell(f.attempts.to_string()),
                    cell(if anomalies.is_empty() {
                        "—".into()
                    } else {
                        anomalies
                    }),
                ]
            })
            .collect();
        l.table(
            &[
                t(v, "test"),
                t(v, "title"),
                t(v, "status"),
                t(v, "tester"),
                t(v, "executed_at"),
                t(v, "attempts"),
                t(v, "anomalies"),
            ],
            &[1.4, 2.6, 1.1, 1.2, 1.3, 0.7, 2.2],
            &rows,
        );
    }

    l.heading(&format!("7. {}", t(v, "uncovered_requirements")), 2);
    if v.uncovered.is_empty() {
        l.para(t(v, "none_f"));
    } else {
        let rows: Vec<Vec<Cell>> = v
            .uncovered
            .iter()
            .map(|r| {
                vec![
                    mono(&r.reference),
                    cell(&r.title),
                    cell(r.criticality),
                    cell(&r.category),
                ]
            })
            .collect();
        l.table(
            &[
                t(v, "requirement"),
                t(v, "title"),
                t(v, "criticality"),
                t(v, "category"),
            ],
            &[1.4, 4.0, 1.2, 1.6],
            &rows,
        );
    }

    l.heading(&format!("8. {}", t(v, "suspect_links")), 2);
    l.note(t(v, "suspect_note"));
    if v.suspect_links.is_empty() {
        l.para(t(v, "none"));
    } else {
        let rows: Vec<Vec<Cell>> = v
            .suspect_links
            .iter()
            .map(|s| {
                vec![
                    mono(&s.requirement),
                    cell(&s.title),
                    mono(&s.test),
                    cell(s.link_revision.to_string()),
                    cell(s.revision.to_string()),
                ]
            })
            .collect();
        l.table(
            &[
                t(v, "requirement"),
                t(v, "title"),
                t(v, "test"),
                t(v, "link_revision"),
                t(v, "current_revision"),
            ],
            &[1.4, 3.4, 1.4, 1.0, 1.0],
            &rows,
        );
    }
    l.heading(t(v, "modified_tests"), 3);
    l.note(t(v, "modified_note"));
    if v.modified_tests.is_empty() {
        l.para(t(v, "none"));
    } else {
        let rows: Vec<Vec<Cell>> = v
            .modified_tests
            .iter()
            .map(|m| {
                let r = if m.dataset.is_empty() {
                    m.reference.clone()
                } else {
                    format!("{} [{}]", m.reference, m.dataset)
                };
                vec![
                    mono(r),
                    cell(&m.title),
                    cell(m.status_label),
                    cell(m.executed_version.to_string()),
                    cell(m.version.to_string()),
                ]
            })
            .collect();
        l.table(
            &[
                t(v, "test"),
                t(v, "title"),
                t(v, "status"),
                t(v, "version_run"),
                t(v, "current_version"),
            ],
            &[1.6, 3.2, 1.2, 1.0, 1.0],
            &rows,
        );
    }

    l.heading(&format!("9. {}", t(v, "anomalies")), 2);
    if v.anomalies.is_empty() {
        l.para(t(v, "none_f"));
    } else {
        let rows: Vec<Vec<Cell>> = v
            .anomalies
            .iter()
            .map(|a| {
                vec![
                    mono(&a.reference),
                    cell(&a.title),
                    cell(a.severity),
                    cell(a.status),
                    cell(&a.found_in),
                    cell(&a.fixed_in),
                ]
            })
            .collect();
        l.table(
            &[
                t(v, "anomalies"),
                t(v, "title"),
                t(v, "severity"),
                t(v, "status"),
                t(v, "found_in"),
                t(v, "fixed_in"),
            ],
            &[1.1, 3.6, 1.0, 1.1, 1.0, 1.0],
            &rows,
        );
    }

    l.new_page();
    l.heading(&format!("10. {}", t(v, "traceability")), 2);
    l.note(t(v, "traceability_note"));
    let rows: Vec<Vec<Cell>> = v
        .trace_rows
        .iter()
        .map(|r| {
            let tests = r
                .tests
                .iter()
                .map(|x| {
                    let mut s = format!("{} {}", x.display(), x.label);
                    if x.suspect {
                        s.push_str(" ⚑");
                    }
                    if x.modified {
                        s.push_str(" ✎");
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("\n");
            let reference = if r.suspect {
                format!("{} ⚑", r.reference)
            } else {
                r.reference.clone()
            };
            vec![
                mono(reference),
                cell(&r.title),
                cell(r.criticality),
                cell(&r.category),
                cell(r.status_label),
                cell(tests),
            ]
        })
        .collect();
    l.table(
        &[
            t(v, "requirement"),
            t(v, "title"),
            t(v, "criticality"),
            t(v, "category"),
            t(v, "status"),
            t(v, "tests"),
        ],
        &[1.3, 2.8, 1.0, 1.3, 1.1, 2.6],
        &rows,
    );
    let title = format!(
        "{} — {} — {}",
        t(v, "bilan_title"),
        v.campaign.reference,
        v.project
    );
    l.finish(&title, v.lang, &iso_of(&v.issued_on))
}
