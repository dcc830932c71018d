//! `timeline eval`: the engine scored against TimeML gold files.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::document::dct::{self};
use crate::engine::doctype::DocType;
use crate::engine::Extractor;
use crate::timeml;
use crate::timeml::eval::{self, Counts, Span};

use super::{ceil_char, floor_char, Failure};

/// Options of `timeline eval`.
pub struct EvalOptions {
    pub gold: PathBuf,
    pub errors: usize,
    pub json: bool,
    /// The kind each document is read as (`Auto`: detected per document).
    pub doctype: DocType,
}

/// `timeline eval`: scores the engine on every TimeML file under a folder.
pub fn eval(opts: &EvalOptions, out: &mut dyn Write) -> Result<(), Failure> {
    let mut files = Vec::new();
    collect_tml(&opts.gold, &mut files).map_err(|e| {
        Failure::usage(format!(
            "timeline: cannot read {}: {e}",
            opts.gold.display()
        ))
    })?;
    if files.is_empty() {
        return Err(Failure::usage(format!(
            "timeline: no .tml files under {}",
            opts.gold.display()
        )));
    }
    let mut extractor = Extractor::default().doctype(opts.doctype);
    // How many documents were read as each kind, in `DocType::NAMES` order.
    let mut kinds = [0usize; 4];
    let mut total = Counts::default();
    let mut errors: Vec<(String, String, eval::Error)> = Vec::new();
    for file in &files {
        let xml = std::fs::read(file).map_err(|e| {
            Failure::usage(format!("timeline: cannot read {}: {e}", file.display()))
        })?;
        let xml = String::from_utf8_lossy(&xml);
        let id = file
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let doc = timeml::parse(&id, &xml)
            .map_err(|e| Failure::usage(format!("timeline: {}: {e}", file.display())))?;
        let dct_text = doc.dct.clone().ok_or_else(|| {
            Failure::usage(format!(
                "timeline: {}: no document creation time",
                file.display()
            ))
        })?;
        let dct = dct::parse(&dct_text)
            .map_err(|e| Failure::usage(format!("timeline: {}: DCT: {e}", file.display())))?;
        let gold: Vec<Span> = doc
            .gold
            .iter()
            .map(|g| Span {
                start: g.start,
                end: g.end,
                kind: g.kind.clone(),
                value: g.value.clone(),
            })
            .collect();
        let system: Vec<Span> = extractor
            .extract(&doc.text, dct)
            .into_iter()
            .flat_map(|t| t.timeml())
            .map(|t| Span {
                start: t.start,
                end: t.end,
                kind: t.kind.to_string(),
                value: t.value.into_string(),
            })
            .collect();
        let used = extractor.doctype_used();
        if let Some(n) = DocType::NAMES
            .iter()
            .position(|k| *k == used.name())
            .and_then(|i| kinds.get_mut(i))
        {
            *n += 1;
        }
        let (counts, errs) = eval::score_document(&gold, &system);
        total.add(&counts);
        if errors.len() < opts.errors * 3 {
            for e in errs {
                errors.push((id.clone(), doc.text.clone(), e));
            }
        }
    }
    let io = Failure::output;
    let (s, r) = (total.strict(), total.relaxed());
    let read_as: Vec<(&str, usize)> = DocType::NAMES
        .iter()
        .zip(kinds)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (*k, n))
        .collect();
    if opts.json {
        let v = serde_json::json!({
            "docs": total.docs, "gold": total.gold, "system": total.system,
            "strict": {"p": s.p, "r": s.r, "f1": s.f1},
            "relaxed": {"p": r.p, "r": r.r, "f1": r.f1},
            "type": {"accuracy": total.accuracy(total.type_ok), "f1": total.attribute_f1(total.type_ok)},
            "value": {"accuracy": total.accuracy(total.value_ok), "f1": total.attribute_f1(total.value_ok)},
            "read_as": read_as.iter().map(|(k, n)| (k.to_string(), serde_json::Value::from(*n))).collect::<serde_json::Map<_, _>>(),
        });
        writeln!(out, "{v}").map_err(io)?;
    } else {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "{} documents, {} gold timexes, {} system timexes",
            total.docs, total.gold, total.system
        );
        let _ = writeln!(t, "           precision  recall     F1");
        let _ = writeln!(t, "strict     {:9.4}  {:6.4}  {:6.4}", s.p, s.r, s.f1);
        let _ = writeln!(t, "relaxed    {:9.4}  {:6.4}  {:6.4}", r.p, r.r, r.f1);
        let _ = writeln!(
            t,
            "type       accuracy {:.4}  F1 {:.4}",
            total.accuracy(total.type_ok),
            total.attribute_f1(total.type_ok)
        );
        let _ = writeln!(
            t,
            "value      accuracy {:.4}  F1 {:.4}",
            total.accuracy(total.value_ok),
            total.attribute_f1(total.value_ok)
        );
        let read_as: Vec<String> = read_as.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(t, "read as    {}", read_as.join(", "));
        out.write_all(t.as_bytes()).map_err(io)?;
        if opts.errors > 0 {
            write_errors(&errors, opts.errors, out).map_err(io)?;
        }
    }
    Ok(())
}

fn write_errors(
    errors: &[(String, String, eval::Error)],
    n: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let snippet = |text: &str, s: &Span| {
        let from = floor_char(text, s.start.saturating_sub(40));
        let to = ceil_char(text, s.end + 40);
        let raw = format!(
            "{}[[{}]]{}",
            &text[from..s.start],
            &text[s.start..s.end],
            &text[s.end..to]
        );
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    type Filter = fn(&eval::Error) -> bool;
    let sections: [(&str, Filter); 3] = [
        ("missed", |e| matches!(e, eval::Error::Missed(_))),
        ("spurious", |e| matches!(e, eval::Error::Spurious(_))),
        ("wrong", |e| matches!(e, eval::Error::Wrong { .. })),
    ];
    for (title, is) in sections {
        writeln!(out, "\n{title}:")?;
        for (doc, text, e) in errors.iter().filter(|(_, _, e)| is(e)).take(n) {
            match e {
                eval::Error::Missed(g) => writeln!(
                    out,
                    "  {doc}: {} {} | {}",
                    g.kind,
                    g.value,
                    snippet(text, g)
                )?,
                eval::Error::Spurious(s) => writeln!(
                    out,
                    "  {doc}: {} {} | {}",
                    s.kind,
                    s.value,
                    snippet(text, s)
                )?,
                eval::Error::Wrong { gold, system } => writeln!(
                    out,
                    "  {doc}: gold {} {} {:?} / system {} {} {:?} | {}",
                    gold.kind,
                    gold.value,
                    &text[gold.start..gold.end],
                    system.kind,
                    system.value,
                    &text[system.start..system.end],
                    snippet(text, gold)
                )?,
            }
        }
    }
    Ok(())
}

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_tml(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "tml")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("._"))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// Options of `timeline eval-events`.
pub struct EvalEventsOptions {
    pub dir: PathBuf,
    /// List what was missed and what was extracted beyond the gold.
    pub errors: bool,
    pub json: bool,
    /// The fallback reference date, for documents whose gold gives none.
    pub today: chrono::NaiveDateTime,
}

/// `timeline eval-events DIR`: event precision, recall and F1, title
/// keywords, kinds, places and deadline recall over a folder of documents
/// with their `.events.toml` gold files.
pub fn eval_events(opts: &EvalEventsOptions, out: &mut dyn Write) -> Result<(), Failure> {
    use crate::events::score::{gold_pairs, score_document, Counts};
    let pairs = gold_pairs(&opts.dir).map_err(|e| {
        Failure::usage(format!("timeline: cannot read {}: {e}", opts.dir.display()))
    })?;
    if pairs.is_empty() {
        return Err(Failure::usage(format!(
            "timeline: no documents with a .events.toml beside them under {}",
            opts.dir.display()
        )));
    }
    let mut total = Counts::default();
    let mut report = String::new();
    for (doc, gold) in &pairs {
        let s = score_document(doc, gold, opts.today).map_err(|e| Failure {
            message: format!("timeline: {e}"),
            code: 1,
        })?;
        total.add(&s.counts);
        if opts.errors {
            for m in &s.misses {
                let _ = writeln!(
                    report,
                    "miss  {}: {} {} {:?}{}  found: {}",
                    m.file,
                    m.gold.when,
                    m.gold.kind,
                    m.gold.title,
                    m.gold
                        .place
                        .as_deref()
                        .map(|p| format!(" in {p}"))
                        .unwrap_or_default(),
                    m.nearest.as_deref().unwrap_or("nothing at that date")
                );
            }
            for x in &s.extra {
                let _ = writeln!(report, "extra {}: {x}", s.file);
            }
        }
    }
    let t = &total;
    let text = if opts.json {
        let v = serde_json::json!({
            "documents": t.documents, "gold": t.gold, "extracted": t.extracted, "matched": t.matched,
            "precision": t.precision(), "recall": t.recall(), "f1": t.f1(),
            "title_keyword_rate": t.title_rate(), "kind_accuracy": t.kind_accuracy(),
            "place_accuracy": t.place_accuracy(), "deadline_recall": t.deadline_recall(),
            "dct_right": t.dct_right, "dct_expected": t.dct_expected,
            "context_right": t.context_right, "context_expected": t.context_expected,
        });
        format!("{v}\n")
    } else {
        format!(
            "{} documents, {} gold events, {} extracted, {} matched\n\
             events     precision {:.3}  recall {:.3}  F1 {:.3}\n\
             titles     {:.3} of events found at the right date hold the keyword\n\
             kinds      {:.3} of matched events have the gold kind\n\
             deadlines  {:.3} of gold deadlines found as deadlines ({}/{})\n\
             places     {:.3} ({}/{})\n\
             ref. date  {}/{} found in the document\n\
             subject    {}/{} kept as context\n{report}",
            t.documents,
            t.gold,
            t.extracted,
            t.matched,
            t.precision(),
            t.recall(),
            t.f1(),
            t.title_rate(),
            t.kind_accuracy(),
            t.deadline_recall(),
            t.deadlines_found,
            t.gold_deadlines,
            t.place_accuracy(),
            t.places_right,
            t.gold_places,
            t.dct_right,
            t.dct_expected,
            t.context_right,
            t.context_expected,
        )
    };
    out.write_all(text.as_bytes()).map_err(|e| Failure {
        message: format!("timeline: {e}"),
        code: 1,
    })
}
