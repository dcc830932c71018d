// Expected values are written with plain arithmetic on small numbers.
#![allow(clippy::arithmetic_side_effects)]

use super::*;
use crate::engine::partial::{PartOfDay, Season};

/// `point_value` as it was written with `format!`, before the digits
/// were written by hand.
fn reference(p: &Point) -> String {
    let year_str = |y: i32| {
        if (0..10000).contains(&y) {
            format!("{y:04}")
        } else {
            y.to_string()
        }
    };
    let d = p.start.date();
    let y = d.year();
    match p.granularity {
        Granularity::Minute => {
            format!("{}T{}", p.start.format("%Y-%m-%d"), p.start.format("%H:%M"))
        }
        Granularity::PartOfDay(part) => format!("{}T{}", d.format("%Y-%m-%d"), part.code()),
        Granularity::Day => format!("{}-{:02}-{:02}", year_str(y), d.month(), d.day()),
        Granularity::Week => {
            let w = d.iso_week();
            format!("{}-W{:02}", year_str(w.year()), w.week())
        }
        Granularity::Weekend => {
            let w = d.iso_week();
            format!("{}-W{:02}-WE", year_str(w.year()), w.week())
        }
        Granularity::Month => format!("{}-{:02}", year_str(y), d.month()),
        Granularity::Season(s) => format!("{}-{}", year_str(y), s.code()),
        Granularity::Quarter => format!("{}-Q{}", year_str(y), d.month0() / 3 + 1),
        Granularity::Half => format!("{}-H{}", year_str(y), d.month0() / 6 + 1),
        Granularity::Year if (-9998..=0).contains(&y) => format!("BC{:04}", 1 - y),
        Granularity::Year => year_str(y),
        Granularity::Decade => {
            let s = year_str(y);
            s[..s.len() - 1].to_string()
        }
        Granularity::Century => {
            let s = year_str(y);
            s[..s.len() - 2].to_string()
        }
    }
}

#[test]
fn values_are_written_as_format_wrote_them() {
    let granularities = [
        Granularity::Minute,
        Granularity::PartOfDay(PartOfDay::Evening),
        Granularity::Day,
        Granularity::Weekend,
        Granularity::Week,
        Granularity::Month,
        Granularity::Season(Season::Winter),
        Granularity::Quarter,
        Granularity::Half,
        Granularity::Year,
        Granularity::Decade,
        Granularity::Century,
    ];
    for year in [-12345, -10, -5, 0, 5, 99, 1999, 2014, 9999, 10000, 123456] {
        for (month, day, hour, minute) in [(1, 1, 0, 0), (12, 31, 23, 59), (6, 9, 7, 5)] {
            let start = NaiveDate::from_ymd_opt(year, month, day)
                .and_then(|d| d.and_hms_opt(hour, minute, 0))
                .expect("valid date");
            for granularity in granularities {
                let p = Point { granularity, start };
                assert_eq!(point_value(&p), reference(&p), "{p:?}");
            }
        }
    }
}

#[test]
fn durations() {
    type Parts = &'static [(Option<f64>, Unit)];
    let cases: [(Parts, &str); 7] = [
        (&[(Some(7.0), Unit::Month)], "P7M"),
        (&[(Some(3.0), Unit::Hour)], "PT3H"),
        (&[(Some(2.5), Unit::Year)], "P2Y6M"),
        (&[(Some(0.5), Unit::Hour)], "PT30M"),
        (&[(None, Unit::Week)], "PXW"),
        (
            &[(Some(2.0), Unit::Hour), (Some(30.0), Unit::Minute)],
            "PT2H30M",
        ),
        (&[(Some(1.0), Unit::Hour), (Some(2.0), Unit::Day)], "P2DT1H"),
    ];
    for (parts, want) in cases {
        assert_eq!(duration_value(parts), want);
    }
}

#[test]
fn values_share_one_buffer_without_mixing() {
    // Longer than an inline CompactString holds, then short ones: each
    // value starts from an empty buffer, whatever the one before left.
    let long = duration_value(&[(Some(1.0e14), Unit::Year), (Some(1.0e14), Unit::Day)]);
    assert_eq!(long, "P100000000000000Y100000000000000D");
    assert_eq!(duration_value(&[(Some(3.0), Unit::Hour)]), "PT3H");
    // A value abandoned half-written (an early return) leaves no trace.
    let mut half = ValueText::new();
    half.push_str("2014-");
    drop(half);
    assert_eq!(duration_value(&[(None, Unit::Week)]), "PXW");
}

#[test]
fn decimal_writes_what_display_writes() {
    // Every digit count, the edges of each pair step, and the largest.
    let mut samples: Vec<u64> = (0..1000).collect();
    let mut p = 1u64;
    while let Some(next) = p.checked_mul(10) {
        samples.extend([p - 1, p, p + 1, next / 2 + 7]);
        p = next;
    }
    samples.push(u64::MAX);
    for n in samples {
        let mut buf = [b'x'; 20];
        assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes(), "{n}");
    }
}
