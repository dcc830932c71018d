//! The roles cue words play in the grammar, as the data file names them.

/// The roles a cue word can play; a word may have several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Role {
    The,
    Article,
    This,
    That,
    Last,
    Next,
    Following,
    Every,
    Ago,
    Earlier,
    Later,
    Of,
    And,
    Or,
    At,
    In,
    From,
    Half,
    Few,
    More,
    Times,
    Twice,
    To,
    OClock,
    Fiscal,
    Latest,
    YearAgo,
    DatePreposition,
    OrdinalDayFollower,
    RecentSpan,
    SpanPast,
    DayBefore,
    Am,
    Pm,
    M,
    End,
    Age,
    VagueLength,
    Passive,
    SpanNoun,
    As,
    Reporting,
    DeadlinePreposition,
    /// The first word of a multi-word phrase in the tables.
    PhraseStart,
    ClauseOpener,
    RelativePronoun,
    DeadlineCue,
    MeetingCue,
    PlacePreposition,
    AttachingPreposition,
    Filler,
    SubjectPronoun,
    TitleArticle,
    DeadlineVerb,
    FutureAuxiliary,
    BeForm,
    Modal,
    Coordinator,
    Future,
    Past,
    Be,
    NotPast,
    /// A schedule row's label word that makes it a deadline ("submission").
    RowDeadline,
    /// A schedule row's label word that makes it a start, not a deadline
    /// ("opens", "notification").
    RowStart,
    /// A word that states a rule for every deadline ("all", "each").
    RuleScope,
    /// A row label word that marks the document's own metadata ("Published").
    RowMetadata,
    /// A possessive determiner ("her", "their").
    Possessive,
    /// A word of a state that lasts until a date ("remains", "closed").
    StateWord,
    /// A preposition: where a phrase a title can drop begins.
    Preposition,
    /// A verb of a start whose state goes on ("began", "walked out").
    OnsetVerb,
    /// Words between a clock time and its day: "10 a.m. local time on June 9".
    LocalTime,
    /// "weekday", "business day": Monday to Friday, after "every".
    Workday,
    /// "business" in "every business day": a workday when "day" follows.
    WorkdayAdjective,
    /// "time" in "Vienna time", "Eastern time".
    ZoneSuffix,
    /// A comparison after a date: "a day later than expected".
    Comparative,
    /// Minutes after the hour: "half past four", "ten after noon".
    ClockPast,
    /// Minutes before the hour: "a quarter to five", "ten to noon".
    ClockTo,
    /// A verb of closing: with a row word ("applications close") a deadline.
    Closing,
    /// A noun whose date is a cut-off: "holders of record on June 1".
    RecordDate,
    /// A verb of change, whose "since"/"from" date is a baseline.
    ChangeVerb,
    /// A preposition that gives a baseline after a change: "since", "from".
    Baseline,
    /// The first word of a holiday's name ("Christmas", "New").
    HolidayStart,
    /// A holiday's whole name in one word ("Christmas", "Halloween"), not
    /// only its start ("New").
    HolidayWord,
    /// After a holiday's name, a noun that makes it a thing or a place of
    /// that name rather than its day: "Easter Island", "Christmas tree".
    HolidayObject,
    /// Before a holiday's name, a word that makes it a person: "Father
    /// Christmas".
    HolidayPerson,
    /// Before a weekday's abbreviation, a word that makes it a day: "on
    /// wed", "next fri".
    WeekdayCue,
    /// "weekdays", "workdays": counted days Monday to Friday.
    Workdays,
    /// "how" in "how about Friday": a suggestion follows.
    Question,
    /// After a bare number, a word that makes it an amount: "3 percent".
    AmountNoun,
    // Ranges and open intervals (see `grammar/ranges.rs` and data/en.toml).
    Between,
    OpenBound,
    Starting,
    /// Before a date, a word that puts it behind the reference: "since".
    PastPreposition,
    /// After a year, an era before year 1: "BC", "BCE".
    EraBefore,
    /// Beside a year, the common era: "AD", "CE".
    EraAfter,
    /// A noun that names the time the text reached: "that time", "this
    /// period".
    TimeNoun,
    /// The auxiliary of the past perfect, "had": its clause looks back
    /// from the time a story has reached.
    Perfect,
    /// A word of a multi-word phrase or holiday name: matched by its
    /// identity, so known to the grammar even with no other role.
    PhraseWord,
}

// Roles are bits of a u128.
const _: () = assert!((Role::PhraseWord as u8) < 128);

impl Role {
    pub(super) fn from_name(name: &str) -> Option<Role> {
        Some(match name {
            "the" => Role::The,
            "article" => Role::Article,
            "this" => Role::This,
            "that" => Role::That,
            "last" => Role::Last,
            "next" => Role::Next,
            "following" => Role::Following,
            "every" => Role::Every,
            "ago" => Role::Ago,
            "earlier" => Role::Earlier,
            "later" => Role::Later,
            "of" => Role::Of,
            "and" => Role::And,
            "or" => Role::Or,
            "at" => Role::At,
            "in" => Role::In,
            "from" => Role::From,
            "half" => Role::Half,
            "few" => Role::Few,
            "more" => Role::More,
            "times" => Role::Times,
            "twice" => Role::Twice,
            "to" => Role::To,
            "o_clock" => Role::OClock,
            "fiscal" => Role::Fiscal,
            "latest" => Role::Latest,
            "year_ago" => Role::YearAgo,
            "date_preposition" => Role::DatePreposition,
            "ordinal_day_follower" => Role::OrdinalDayFollower,
            "recent_span" => Role::RecentSpan,
            "span_past" => Role::SpanPast,
            "day_before" => Role::DayBefore,
            "am" => Role::Am,
            "pm" => Role::Pm,
            "m" => Role::M,
            "end" => Role::End,
            "age" => Role::Age,
            "vague_length" => Role::VagueLength,
            "passive" => Role::Passive,
            "span_noun" => Role::SpanNoun,
            "as" => Role::As,
            "local_time" => Role::LocalTime,
            "comparative" => Role::Comparative,
            "workday" => Role::Workday,
            "workday_adjective" => Role::WorkdayAdjective,
            "zone_suffix" => Role::ZoneSuffix,
            "clock_past" => Role::ClockPast,
            "clock_to" => Role::ClockTo,
            "holiday_object" => Role::HolidayObject,
            "holiday_person" => Role::HolidayPerson,
            "weekday_cue" => Role::WeekdayCue,
            "workdays" => Role::Workdays,
            "question" => Role::Question,
            "amount_noun" => Role::AmountNoun,
            "between" => Role::Between,
            "open_bound" => Role::OpenBound,
            "starting" => Role::Starting,
            "past_preposition" => Role::PastPreposition,
            "era_before" => Role::EraBefore,
            "era_after" => Role::EraAfter,
            "time_noun" => Role::TimeNoun,
            "perfect" => Role::Perfect,
            _ => return None,
        })
    }
}
