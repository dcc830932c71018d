//! Text of news sentences with dates of every kind, from a fixed seed:
//! the long documents the streaming tests read in windows.

/// Sentences of news with dates of every kind, and some without.
pub const SENTENCES: [&str; 12] = [
    "The talks resume Monday, Nov. 24, in Vienna, officials said Tuesday.",
    "The minister said the deal would be signed within three weeks.",
    "Prices rose 2.1 percent in the third quarter, the agency reported.",
    "A year earlier, on March 3, 2013, the plant was shut for 18 months.",
    "The committee meets every Thursday at 4 p.m. until the end of June.",
    "Négociations à Genève — the café reopens in two weeks, daily at 9:30.",
    "No date was set for the vote.",
    "The following day the court adjourned until Friday morning.",
    "Since 1998 the firm has reported losses in each winter season.",
    "From 2-3pm ET the line was closed; it reopened late Wednesday.",
    "The deadline, Dec. 1, 2014, looms after seven months of dispute.",
    "Officials expect the report by mid-2015 or earlier.",
];

/// Numbers below `n` from a fixed seed, the same on every machine.
pub fn numbers(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    }
}

/// About `bytes` of text from a fixed seed: paragraphs of a few sentences
/// between blank lines, with now and then a list of schedule lines.
pub fn news(bytes: usize, seed: u64) -> String {
    let mut next = numbers(seed);
    let mut text = String::new();
    while text.len() < bytes {
        if next(9) == 0 {
            text.push_str("Abstracts: April 7\nNotification: May 12\nCamera-ready: May 29\n\n");
            continue;
        }
        for _ in 0..1 + next(5) {
            text.push_str(SENTENCES[next(SENTENCES.len())]);
            text.push(if next(6) == 0 { '\n' } else { ' ' });
        }
        text.push_str("\n\n");
    }
    text
}
