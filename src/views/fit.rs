//! Tables that fit the terminal: one line per event, whatever the width.
//!
//! Columns no row uses are hidden, and the one flexible column (the title)
//! takes what the others leave, cut with "…" rather than wrapped: eight
//! events take eight lines in an 80×24 terminal, not forty.

use unicode_width::UnicodeWidthStr;

/// The narrowest a flexible column is cut to.
pub const MIN_FLEX: usize = 12;

/// Fits `rows` (with their `headers`) into `width` columns of terminal: drops
/// columns that are empty in every row (unless `keep` lists them) and
/// truncates column `flex` so that each row is one line. Returns the headers
/// kept; `rows` keep the same columns.
pub fn fit(
    headers: &[&str],
    rows: &mut [Vec<String>],
    flex: usize,
    keep: &[usize],
    width: Option<usize>,
) -> Vec<String> {
    let used: Vec<usize> = (0..headers.len())
        .filter(|&c| c == flex || keep.contains(&c) || rows.iter().any(|r| !r[c].is_empty()))
        .collect();
    let flex_at = used.iter().position(|&c| c == flex);
    for row in rows.iter_mut() {
        let kept: Vec<String> = used.iter().map(|&c| std::mem::take(&mut row[c])).collect();
        *row = kept;
    }
    let headers: Vec<String> = used.iter().map(|&c| headers[c].to_string()).collect();
    let (Some(width), Some(flex)) = (width, flex_at) else {
        return headers;
    };
    // Each column is padded by one space each side and has a border: 3
    // columns of frame per column, plus the closing border.
    let frame = 3 * headers.len() + 1;
    let fixed: usize = (0..headers.len())
        .filter(|&c| c != flex)
        .map(|c| column_width(&headers, rows, c))
        .sum();
    let room = width.saturating_sub(frame + fixed).max(MIN_FLEX);
    for row in rows.iter_mut() {
        row[flex] = truncate(&row[flex], room);
    }
    headers
}

fn column_width(headers: &[String], rows: &[Vec<String>], c: usize) -> usize {
    rows.iter()
        .map(|r| r[c].width())
        .chain([headers[c].width()])
        .max()
        .unwrap_or(0)
}

/// `s` in at most `max` columns of terminal, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(ch);
        used += w;
    }
    // Cut at a word's end when one is near: "A rather long…", not
    // "A rather long titl…".
    if let Some(space) = out.rfind(' ').filter(|&k| k >= out.len() / 2) {
        out.truncate(space);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_columns_go_and_the_title_is_cut_to_fit() {
        let mut rows = vec![
            vec![
                "ev-1".to_string(),
                "A rather long title that would wrap".to_string(),
                String::new(),
            ],
            vec!["ev-2".to_string(), "Short".to_string(), String::new()],
        ];
        let headers = fit(&["id", "title", "where"], &mut rows, 1, &[], Some(30));
        assert_eq!(headers, ["id", "title"]);
        // 30 columns: frame 7, id 4, so the title gets 19.
        assert_eq!(rows[0][1], "A rather long…");
        assert_eq!(rows[1], ["ev-2", "Short"]);
    }

    #[test]
    fn wide_characters_count_double() {
        let cut = truncate("会議の締め切りは明日です", 9);
        assert!(cut.width() <= 9, "{cut}");
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("fits", 9), "fits");
    }

    #[test]
    fn without_a_width_nothing_is_cut() {
        let mut rows = vec![vec!["ev-1".to_string(), "x".repeat(200)]];
        fit(&["id", "title"], &mut rows, 1, &[], None);
        assert_eq!(rows[0][1].len(), 200);
    }
}
