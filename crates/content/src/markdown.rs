//! Markdown to HTML + MathML, with heading anchors, a table of contents, link rewriting and
//! embedded widgets. Rendering returns data (blocks, toc, anchors, links, errors) so the same
//! function drives the lesson page and the content lint.

use super::embed::Embed;
#[cfg(feature = "compile")]
use super::embed::{check_demo_options, parse_embed};
#[cfg(feature = "compile")]
use super::math::{self, Display};
#[cfg(feature = "compile")]
use super::{line_col, ContentError};
#[cfg(feature = "compile")]
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// The one set of Markdown options used everywhere (lessons, cards, about page).
#[cfg(feature = "compile")]
pub fn options() -> Options {
    Options::ENABLE_MATH
        | Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A piece of a rendered page: static HTML, or a live widget the UI mounts in its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    Html(String),
    Embed(Embed),
}

/// A heading for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Where a link points, after rewriting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg(feature = "compile")]
pub enum LinkTarget {
    /// `other.md#anchor` in the source; `/lesson/other#anchor` in the HTML.
    Lesson {
        slug: String,
        anchor: Option<String>,
    },
    /// `#anchor` on the same page.
    Anchor(String),
    /// Anything with a scheme, or an absolute path.
    External(String),
}

/// A link found in the source, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg(feature = "compile")]
pub struct LinkRef {
    pub target: LinkTarget,
    pub raw: String,
    pub line: usize,
    pub col: usize,
}

/// The output of [`render`].
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg(feature = "compile")]
pub struct Rendered {
    pub blocks: Vec<Block>,
    /// `##` and `###` headings, in order.
    pub toc: Vec<TocEntry>,
    /// Every element id a link may target (all headings).
    pub anchors: Vec<String>,
    pub links: Vec<LinkRef>,
    /// Embeds with their (line, column).
    pub embeds: Vec<(Embed, usize, usize)>,
    /// Problems found while rendering; the output is still displayable.
    pub errors: Vec<ContentError>,
}

#[cfg(feature = "compile")]
impl Rendered {
    /// All HTML blocks joined (embeds left out): handy for fragments such as card faces.
    pub fn html(&self) -> String {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Html(h) => Some(h.as_str()),
                Block::Embed(_) => None,
            })
            .collect()
    }
}

/// Lowercase-kebab id from heading text, like GitHub's and mdBook's anchors.
#[cfg(feature = "compile")]
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Classifies and rewrites a link destination.
#[cfg(feature = "compile")]
pub fn resolve_link(dest: &str) -> (LinkTarget, String) {
    if let Some(anchor) = dest.strip_prefix('#') {
        return (LinkTarget::Anchor(anchor.to_string()), dest.to_string());
    }
    let has_scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
    });
    if has_scheme || dest.starts_with('/') {
        return (LinkTarget::External(dest.to_string()), dest.to_string());
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    let file = path.rsplit('/').next().unwrap_or(path);
    match file.strip_suffix(".md") {
        Some(slug) => {
            let href = match &anchor {
                Some(a) => format!("/lesson/{slug}#{a}"),
                None => format!("/lesson/{slug}"),
            };
            (
                LinkTarget::Lesson {
                    slug: slug.to_string(),
                    anchor,
                },
                href,
            )
        }
        None => (LinkTarget::External(dest.to_string()), dest.to_string()),
    }
}

#[cfg(feature = "compile")]
fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(feature = "compile")]
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(feature = "compile")]
struct HeadingBuf<'a> {
    level: u8,
    id: Option<String>,
    text: String,
    events: Vec<Event<'a>>,
}

#[cfg(feature = "compile")]
struct EmbedBuf {
    info: String,
    body: String,
    pos: usize,
}

/// Renders Markdown `src` from file `file`, whose first line is line `first_line` of that file.
#[cfg(feature = "compile")]
pub fn render(file: &str, src: &str, first_line: usize) -> Rendered {
    let mut r = Rendered::default();
    let at = |pos: usize| {
        let (l, c) = line_col(src, pos);
        (l + first_line - 1, c)
    };
    let mut out: Vec<Event> = Vec::new();
    let mut heading: Option<HeadingBuf> = None;
    let mut embed: Option<EmbedBuf> = None;

    let flush = |out: &mut Vec<Event>, blocks: &mut Vec<Block>| {
        if !out.is_empty() {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, out.drain(..));
            blocks.push(Block::Html(html));
        }
    };

    for (ev, range) in Parser::new_ext(src, options()).into_offset_iter() {
        if let Some(buf) = embed.as_mut() {
            match ev {
                Event::Text(t) => buf.body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let buf = embed.take().unwrap_or_else(|| unreachable!());
                    let (line, col) = at(buf.pos);
                    match parse_embed(&buf.info, &buf.body) {
                        Ok(Some(e)) => {
                            // Block options are checked against the demo registry here, where
                            // the body's text is at hand to point at the offending key.
                            if let Embed::Demo { kind, options } = &e {
                                for (dl, dc, msg) in check_demo_options(*kind, options, &buf.body) {
                                    r.errors.push(ContentError::Embed {
                                        file: file.to_string(),
                                        line: line + dl,
                                        col: col + dc - 1,
                                        msg,
                                    });
                                }
                            }
                            flush(&mut out, &mut r.blocks);
                            r.blocks.push(Block::Embed(e.clone()));
                            r.embeds.push((e, line, col));
                        }
                        Ok(None) => {}
                        Err(msg) => r.errors.push(ContentError::Embed {
                            file: file.to_string(),
                            line,
                            col,
                            msg,
                        }),
                    }
                }
                _ => {}
            }
            continue;
        }
        let ev = match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if matches!(info.split_whitespace().next(), Some("demo") | Some("quiz")) =>
            {
                embed = Some(EmbedBuf {
                    info: info.to_string(),
                    body: String::new(),
                    pos: range.start,
                });
                continue;
            }
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                let display = if ev_kind_is_display(src, &range) {
                    Display::Block
                } else {
                    Display::Inline
                };
                let html = match math::render(&tex, display) {
                    Ok(m) => m,
                    Err((m, msg)) => {
                        let (line, col) = at(range.start);
                        r.errors.push(ContentError::Math {
                            file: file.to_string(),
                            line,
                            col,
                            tex: tex.to_string(),
                            msg,
                        });
                        m
                    }
                };
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&tex);
                }
                // Chromium ignores `overflow` on <math>: a wide formula would push the page
                // sideways on a phone, so display maths scrolls inside its own box.
                let html = match display {
                    Display::Block => format!("<span class=\"math-display\">{html}</span>"),
                    Display::Inline => html,
                };
                Event::InlineHtml(CowStr::from(html))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (target, href) = resolve_link(&dest_url);
                let (line, col) = at(range.start);
                r.links.push(LinkRef {
                    target,
                    raw: dest_url.to_string(),
                    line,
                    col,
                });
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some(HeadingBuf {
                    level: heading_number(level),
                    id: id.map(|i| i.to_string()),
                    text: String::new(),
                    events: Vec::new(),
                });
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    let base = h.id.unwrap_or_else(|| slugify(&h.text));
                    let mut id = base.clone();
                    let mut n = 1;
                    while r.anchors.contains(&id) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    r.anchors.push(id.clone());
                    let title = h.text.trim().to_string();
                    if h.level == 2 || h.level == 3 {
                        r.toc.push(TocEntry {
                            level: h.level,
                            id: id.clone(),
                            title: title.clone(),
                        });
                    }
                    out.push(Event::Html(CowStr::from(format!(
                        "<h{} id=\"{}\">",
                        h.level,
                        escape_html(&id)
                    ))));
                    out.extend(h.events);
                    out.push(Event::Html(CowStr::from(format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{}>\n",
                        escape_html(&id),
                        h.level
                    ))));
                }
                continue;
            }
            other => other,
        };
        if let Some(h) = heading.as_mut() {
            if let Event::Text(t) | Event::Code(t) = &ev {
                h.text.push_str(t);
            }
            h.events.push(ev);
        } else {
            out.push(ev);
        }
    }
    flush(&mut out, &mut r.blocks);
    r
}

/// `$$..$$` vs `$..$`: pulldown-cmark reports both as math events; the source tells them apart.
#[cfg(feature = "compile")]
fn ev_kind_is_display(src: &str, range: &std::ops::Range<usize>) -> bool {
    src.get(range.clone()).is_some_and(|s| s.starts_with("$$"))
}

/// Renders a short Markdown fragment (a card face) to HTML. Errors are returned alongside.
#[cfg(feature = "compile")]
pub fn render_fragment(file: &str, src: &str) -> (String, Vec<ContentError>) {
    let r = render(file, src, 1);
    (r.html(), r.errors)
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    const DOC: &str = "## The loop {#training-loop}\n\nInline $D(x)$ and display:\n\n$$\\frac{1}{2}\\log 2$$\n\nSee [JSD](learning-by-comparison.md#jsd-proof) and [top](#training-loop).\n\n```demo gan1d\npreset = \"default\"\n```\n\n### Why $k$ steps\n\ntext\n\n## The loop\n";

    #[test]
    fn renders_math_anchors_toc_links_and_embeds() {
        let r = render("lessons/x.md", DOC, 6);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.blocks.len(), 3, "html, embed, html: {:?}", r.blocks);
        let html = r.html();
        assert!(html.contains("<h2 id=\"training-loop\">"), "{html}");
        assert!(html.contains("<math") && html.contains("<mfrac>"), "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        assert!(
            html.contains("<span class=\"math-display\"><math"),
            "{html}"
        );
        assert!(
            html.contains("href=\"/lesson/learning-by-comparison#jsd-proof\""),
            "{html}"
        );
        assert_eq!(
            r.toc.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            vec!["training-loop", "why-k-steps", "the-loop"]
        );
        assert_eq!(r.toc[1].title, "Why k steps");
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].line, 12);
        assert_eq!(r.embeds.len(), 1);
        assert_eq!(r.embeds[0].1, 14);
    }

    #[test]
    fn bad_math_and_bad_embeds_are_located() {
        let r = render(
            "lessons/x.md",
            "ok\n\nbad $\\nope{x}$ here\n\n```demo nothing\n```\n",
            10,
        );
        let msgs: Vec<String> = r.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].starts_with("lessons/x.md:12:5:"), "{msgs:?}");
        assert!(msgs[1].starts_with("lessons/x.md:14:1:"), "{msgs:?}");
    }

    #[test]
    fn slugs_and_links() {
        assert_eq!(
            slugify("The GAN objective: a 2-player game!"),
            "the-gan-objective-a-2-player-game"
        );
        assert_eq!(slugify("???"), "section");
        assert_eq!(
            resolve_link("https://arxiv.org").0,
            LinkTarget::External("https://arxiv.org".into())
        );
        assert_eq!(
            resolve_link("../lessons/vdm.md").0,
            LinkTarget::Lesson {
                slug: "vdm".into(),
                anchor: None
            }
        );
    }
}
