//! The elements the reader tracks: their classes (dropped, container,
//! block, table), the stack of open elements with the ends HTML implies,
//! and the tags that carry metadata (`<title>`, `<meta>`, `<time>`).

use html5gum::{naive_next_state, State};

use super::{dct, BlockKind, Reader, Run, Table};

/// How deep the stack of tracked elements goes; deeper (non-dropped)
/// elements are not tracked, which only blurs their block boundaries.
const MAX_DEPTH: usize = 512;
/// How many `<time datetime>` values are tried as the page's date.
const MAX_TIME_TRIES: u32 = 16;

/// The elements the reader tracks; every other tag is inline and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Tag {
    // Dropped with everything in them.
    Script,
    Style,
    Noscript,
    Template,
    Nav,
    Footer,
    Aside,
    Form,
    Button,
    Select,
    Svg,
    Math,
    Iframe,
    Del,
    S,
    Strike,
    Textarea,
    Noembed,
    Noframes,
    Canvas,
    Object,
    Datalist,
    // Containers: they break blocks but do not say what a block is.
    Html,
    Head,
    Body,
    P,
    Div,
    Section,
    Article,
    Main,
    Header,
    Hgroup,
    Figure,
    Figcaption,
    Address,
    Center,
    Details,
    Summary,
    Ul,
    Ol,
    Dl,
    Menu,
    Fieldset,
    // Blocks of a kind.
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Pre,
    Listing,
    Xmp,
    Plaintext,
    Li,
    Dt,
    Dd,
    Blockquote,
    // Tables.
    Table,
    Caption,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Th,
    // Never on the stack.
    Br,
    Hr,
    Meta,
    Time,
    Title,
}

pub(super) const TAGS: usize = Tag::Title as usize + 1;

fn tag(name: &[u8]) -> Option<Tag> {
    use Tag::*;
    Some(match name {
        b"script" => Script,
        b"style" => Style,
        b"noscript" => Noscript,
        b"template" => Template,
        b"nav" => Nav,
        b"footer" => Footer,
        b"aside" => Aside,
        b"form" => Form,
        b"button" => Button,
        b"select" => Select,
        b"svg" => Svg,
        b"math" => Math,
        b"iframe" => Iframe,
        b"del" => Del,
        b"s" => S,
        b"strike" => Strike,
        b"textarea" => Textarea,
        b"noembed" => Noembed,
        b"noframes" => Noframes,
        b"canvas" => Canvas,
        b"object" => Object,
        b"datalist" => Datalist,
        b"html" => Html,
        b"head" => Head,
        b"body" => Body,
        b"p" => P,
        b"div" => Div,
        b"section" => Section,
        b"article" => Article,
        b"main" => Main,
        b"header" => Header,
        b"hgroup" => Hgroup,
        b"figure" => Figure,
        b"figcaption" => Figcaption,
        b"address" => Address,
        b"center" => Center,
        b"details" => Details,
        b"summary" => Summary,
        b"ul" => Ul,
        b"ol" => Ol,
        b"dl" => Dl,
        b"menu" => Menu,
        b"fieldset" => Fieldset,
        b"h1" => H1,
        b"h2" => H2,
        b"h3" => H3,
        b"h4" => H4,
        b"h5" => H5,
        b"h6" => H6,
        b"pre" => Pre,
        b"listing" => Listing,
        b"xmp" => Xmp,
        b"plaintext" => Plaintext,
        b"li" => Li,
        b"dt" => Dt,
        b"dd" => Dd,
        b"blockquote" => Blockquote,
        b"table" => Table,
        b"caption" => Caption,
        b"thead" => Thead,
        b"tbody" => Tbody,
        b"tfoot" => Tfoot,
        b"tr" => Tr,
        b"td" => Td,
        b"th" => Th,
        b"br" => Br,
        b"hr" => Hr,
        b"meta" => Meta,
        b"time" => Time,
        b"title" => Title,
        _ => return None,
    })
}

fn is_dropped(t: Tag) -> bool {
    (t as u8) <= Tag::Datalist as u8
}

fn heading_level(t: Tag) -> Option<u8> {
    let (lo, hi) = (Tag::H1 as u8, Tag::H6 as u8);
    let v = t as u8;
    (lo..=hi).contains(&v).then(|| v - lo + 1)
}

/// Whether opening or closing the element ends the block around it. Dropped
/// inline elements (a struck-out word, a script between two words) do not.
fn breaks_block(t: Tag) -> bool {
    use Tag::*;
    !is_dropped(t) || matches!(t, Nav | Footer | Aside | Form)
}

/// Block-level elements, whose start closes an open `<p>`.
fn closes_p(t: Tag) -> bool {
    use Tag::*;
    heading_level(t).is_some()
        || matches!(
            t,
            P | Div
                | Section
                | Article
                | Main
                | Header
                | Hgroup
                | Figure
                | Figcaption
                | Address
                | Center
                | Details
                | Summary
                | Ul
                | Ol
                | Dl
                | Menu
                | Fieldset
                | Pre
                | Listing
                | Xmp
                | Plaintext
                | Li
                | Dt
                | Dd
                | Blockquote
                | Table
                | Nav
                | Footer
                | Aside
                | Form
                | Hr
        )
}

/// The kind of block text directly inside `t` makes, given the kind its
/// parent makes. Inside a table row everything but a heading stays in the
/// cell.
fn kind_in(t: Tag, parent: BlockKind) -> BlockKind {
    use Tag::*;
    let row = parent == BlockKind::TableRow;
    if let Some(level) = heading_level(t) {
        return BlockKind::Heading(level);
    }
    match t {
        Pre | Listing | Xmp | Plaintext if !row => BlockKind::Code,
        Li | Dt | Dd if !row => BlockKind::ListItem,
        Blockquote if !row => BlockKind::Quote,
        Tr | Td | Th => BlockKind::TableRow,
        Table | Caption | Thead | Tbody | Tfoot => BlockKind::Paragraph,
        _ => parent,
    }
}

/// An open element.
#[derive(Clone, Copy, Debug)]
pub(super) struct El {
    tag: Tag,
    /// The kind of block its text makes.
    kind: BlockKind,
    /// Opened outside any dropped element: its start and end shape blocks.
    live: bool,
}

/// Meta keys whose content is the page's publication time, first choice.
const PUBLISHED_KEYS: [&str; 2] = ["article:published_time", "og:article:published_time"];
/// Meta keys (name, property or itemprop) that date the page, second choice.
const DATE_KEYS: [&str; 20] = [
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "pubdate",
    "publish-date",
    "publish_date",
    "publishdate",
    "publication_date",
    "publication-date",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "datepublished",
    "originalpublicationdate",
];

fn key_is(key: &[u8], names: &[&str]) -> bool {
    let key = key.trim_ascii();
    names.iter().any(|n| key.eq_ignore_ascii_case(n.as_bytes()))
}

fn attr_str(v: &[u8]) -> &str {
    std::str::from_utf8(v).unwrap_or("").trim()
}

impl Reader<'_> {
    // ---- Elements -----------------------------------------------------

    pub(super) fn kind(&self) -> BlockKind {
        self.stack.last().map_or(BlockKind::Paragraph, |e| e.kind)
    }

    fn top(&self) -> Option<Tag> {
        self.stack.last().map(|e| e.tag)
    }

    pub(super) fn push(&mut self, t: Tag) {
        let dropped = is_dropped(t);
        if self.stack.len() >= MAX_DEPTH && !dropped {
            return;
        }
        let parent = self.kind();
        let kind = kind_in(t, parent);
        let live = self.dropped == 0;
        self.stack.push(El { tag: t, kind, live });
        self.counts[t as usize] += 1;
        if dropped {
            self.dropped += 1;
        }
        match t {
            Tag::Article | Tag::Main => self.article += 1,
            Tag::Head => self.head += 1,
            _ => {}
        }
        if live {
            self.on_push(t, parent, kind);
        }
    }

    pub(super) fn pop(&mut self) {
        let Some(e) = self.stack.pop() else {
            return;
        };
        let n = &mut self.counts[e.tag as usize];
        *n = n.saturating_sub(1);
        if is_dropped(e.tag) {
            self.dropped = self.dropped.saturating_sub(1);
        }
        match e.tag {
            Tag::Article | Tag::Main => self.article = self.article.saturating_sub(1),
            Tag::Head => self.head = self.head.saturating_sub(1),
            _ => {}
        }
        if e.live {
            let now = self.kind();
            self.on_pop(e.tag, e.kind, now);
        }
    }

    /// Pops elements down to the nearest one `target` accepts, unless one
    /// `stop` accepts comes first. Returns whether it popped.
    fn close_to(&mut self, target: impl Fn(Tag) -> bool, stop: impl Fn(Tag) -> bool) -> bool {
        let Some(i) = self
            .stack
            .iter()
            .rposition(|e| target(e.tag) || stop(e.tag))
        else {
            return false;
        };
        if !target(self.stack[i].tag) {
            return false;
        }
        while self.stack.len() > i {
            self.pop();
        }
        true
    }

    fn open_count(&self, t: Tag) -> u32 {
        if heading_level(t).is_some() {
            (Tag::H1 as usize..=Tag::H6 as usize)
                .map(|i| self.counts[i])
                .sum()
        } else {
            self.counts[t as usize]
        }
    }

    fn on_push(&mut self, t: Tag, before: BlockKind, after: BlockKind) {
        match t {
            Tag::Table => {
                self.end_block();
                self.flush_header_row();
                self.tables.push(Table::default());
                self.b.set_headers(Vec::new());
            }
            Tag::Thead => {
                self.end_block();
                self.table_mut().thead += 1;
            }
            Tag::Tbody | Tag::Tfoot | Tag::Caption => self.end_block(),
            Tag::Tr => self.start_row(),
            Tag::Td | Tag::Th => self.start_cell(t == Tag::Th),
            _ if breaks_block(t) => self.boundary(before, after),
            _ => {}
        }
    }

    fn on_pop(&mut self, t: Tag, before: BlockKind, after: BlockKind) {
        match t {
            Tag::Table => self.end_table(),
            Tag::Thead => {
                self.end_block();
                let t = self.table_mut();
                t.thead = t.thead.saturating_sub(1);
            }
            Tag::Tbody | Tag::Tfoot | Tag::Caption => self.end_block(),
            Tag::Tr => {
                self.end_block();
                if let Some(t) = self.tables.last_mut() {
                    t.row = None;
                }
            }
            Tag::Td | Tag::Th => self.end_cell(),
            _ if breaks_block(t) => self.boundary(before, after),
            _ => {}
        }
    }

    /// A block element starts or ends: inside a table cell that is a line
    /// break in the cell, elsewhere the end of the block.
    fn boundary(&mut self, before: BlockKind, after: BlockKind) {
        if before == BlockKind::TableRow && after == BlockKind::TableRow {
            if self.open == Some(BlockKind::TableRow) && self.row_mut().in_cell {
                self.add(Run::Break(self.tag_start));
            }
        } else {
            self.end_block();
        }
    }

    fn br(&mut self) {
        if self.dropped > 0 {
            return;
        }
        let in_row = self.open == Some(BlockKind::TableRow);
        if self.open.is_some() && (!in_row || self.row_mut().in_cell) {
            self.add(Run::Break(self.tag_start));
        }
    }

    pub(super) fn start_tag(&mut self) -> Option<State> {
        self.last_start.clear();
        self.last_start.extend_from_slice(&self.name);
        if self.name_long {
            return None;
        }
        let state = naive_next_state(&self.name);
        let Some(t) = tag(&self.name) else {
            return state;
        };
        self.last_tag = self.pos;
        match t {
            Tag::Title => {
                self.in_title = true;
                self.title_capture = self.dropped == 0 && self.title.is_none();
                self.title_text.clear();
                self.raw_open = Some((t, self.tag_start));
                return state;
            }
            Tag::Meta => {
                self.meta();
                return None;
            }
            Tag::Time => {
                self.time();
                return None;
            }
            Tag::Br => {
                self.br();
                return None;
            }
            Tag::Hr => {
                if self.top() == Some(Tag::P) {
                    self.pop();
                }
                if self.dropped == 0 {
                    let k = self.kind();
                    self.boundary(k, k);
                }
                return None;
            }
            _ => {}
        }
        self.implied_ends(t);
        if self.scan && self.may_cut_before(t) {
            self.note_cut();
        }
        self.push(t);
        if state.is_some() && t != Tag::Plaintext {
            self.raw_open = Some((t, self.tag_start));
        } else if self.self_closing && self.top() == Some(t) {
            // `<div/>`, `<nav/>`: written as empty, read as empty.
            self.pop();
        }
        state
    }

    /// Whether a window may end before the start tag of `t`, its implied
    /// ends done (see `window`): `t` starts a block, so it ends the one
    /// before as the end of a window does, and what stays open is
    /// elements, which the next window opens again, and tables between
    /// rows whose header row, if any, is settled. Not in a dropped element,
    /// raw text or a title, for which the reader keeps state of its own,
    /// nor, to be safe, in code or a heading.
    pub(super) fn may_cut_before(&self, t: Tag) -> bool {
        use Tag::*;
        let block = match t {
            Tr => (self.tables.iter()).all(|t| t.row.is_none() && t.header_row.is_none()),
            Caption | Thead | Tbody | Tfoot | Td | Th | Html | Head | Body => false,
            _ => !is_dropped(t) && self.tables.is_empty(),
        };
        let kind = matches!(
            self.kind(),
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Quote
        );
        // Past the tracked depth a tag is not pushed and ends nothing.
        block
            && kind
            && self.stack.len() < MAX_DEPTH
            && self.tag_start > 0
            && self.dropped == 0
            && self.raw_open.is_none()
            && !self.in_title
    }

    /// The tags of the open elements, outermost first.
    pub(super) fn open_tags(&self) -> impl Iterator<Item = Tag> + '_ {
        self.stack.iter().map(|e| e.tag)
    }

    /// Closes what a start tag closes implicitly: an open `<p>` before a
    /// block, the previous item, cell or row.
    fn implied_ends(&mut self, t: Tag) {
        use Tag::*;
        if closes_p(t) && self.top() == Some(P) {
            self.pop();
        }
        if heading_level(t).is_some() && self.top().and_then(heading_level).is_some() {
            self.pop();
        }
        let passable = |x: Tag| matches!(x, P | Div | Address);
        match t {
            Li => {
                self.close_to(|x| x == Li, |x| !passable(x));
            }
            Dt | Dd => {
                self.close_to(|x| matches!(x, Dt | Dd), |x| !passable(x));
            }
            Td | Th => {
                self.close_to(|x| matches!(x, Td | Th), |x| matches!(x, Tr | Table));
            }
            Tr => {
                self.close_to(|x| x == Tr, |x| x == Table);
            }
            Thead | Tbody | Tfoot => {
                self.close_to(|x| x == Tr, |x| x == Table);
                self.close_to(|x| matches!(x, Thead | Tbody | Tfoot), |x| x == Table);
            }
            Caption => {
                self.close_to(|x| x == Caption, |x| x == Table);
            }
            _ => {}
        }
    }

    pub(super) fn end_tag(&mut self) {
        use Tag::*;
        self.raw_open = None;
        self.last_tag = self.pos;
        if self.in_title {
            // In a title, the only end tag the tokenizer gives is </title>.
            self.end_title();
            return;
        }
        if self.name_long {
            return;
        }
        let Some(t) = tag(&self.name) else {
            return;
        };
        match t {
            Br => self.br(),
            Title | Meta | Time | Hr => {}
            Body | Html => {
                if self.counts[Body as usize] + self.counts[Html as usize] > 0 {
                    self.close_to(|x| matches!(x, Body | Html), |_| false);
                }
            }
            _ if self.open_count(t) == 0 => {}
            _ if heading_level(t).is_some() => {
                self.close_to(
                    |x| heading_level(x).is_some(),
                    |x| matches!(x, Td | Th | Table),
                );
            }
            Table => {
                self.close_to(|x| x == Table, |_| false);
            }
            Td | Th | Tr | Thead | Tbody | Tfoot | Caption => {
                self.close_to(|x| x == t, |x| x == Table);
            }
            _ => {
                self.close_to(|x| x == t, |x| matches!(x, Td | Th | Table));
            }
        }
    }

    pub(super) fn end_title(&mut self) {
        self.in_title = false;
        if self.title_capture && self.title.is_none() {
            let t = self
                .title_text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !t.is_empty() {
                self.title = Some(t);
            }
        }
        self.title_capture = false;
        self.title_text.clear();
    }

    // ---- Metadata -----------------------------------------------------

    fn meta(&mut self) {
        if self.dropped > 0 || self.a_content.is_empty() {
            return;
        }
        let content = attr_str(&self.a_content);
        if content.is_empty() {
            return;
        }
        let keys = [&self.a_property, &self.a_name, &self.a_itemprop];
        if self.published.is_none() && keys.iter().any(|k| key_is(k, &PUBLISHED_KEYS)) {
            self.published = dct::date_in(content);
        } else if self.meta_date.is_none() && keys.iter().any(|k| key_is(k, &DATE_KEYS)) {
            self.meta_date = dct::date_in(content);
        } else if self.og_title.is_none() && keys.iter().any(|k| key_is(k, &["og:title"])) {
            self.og_title = Some(content.to_owned());
        }
    }

    fn time(&mut self) {
        if self.dropped > 0 || self.a_datetime.is_empty() || self.time_tries >= MAX_TIME_TRIES {
            return;
        }
        let value = attr_str(&self.a_datetime);
        if value.is_empty() {
            return;
        }
        let published = key_is(&self.a_itemprop, &["datepublished"]);
        let slot = if published && self.meta_date.is_none() {
            &mut self.meta_date
        } else if self.article > 0 {
            &mut self.time_article
        } else if self.head == 0 {
            &mut self.time_body
        } else {
            return;
        };
        if slot.is_none() {
            self.time_tries += 1;
            *slot = dct::date_in(value);
        }
    }
}
