//! One message catalogue for every front end: `locales/en.ftl` and `locales/id.ftl`
//! (Project Fluent), read here with `fluent-bundle` for the command line, the classroom
//! page's server and Python, and served as they are to the page, which reads them with
//! `@fluent/bundle`. Numbers are written per language: a decimal point in English, a
//! decimal comma in Indonesian.

use std::sync::OnceLock;

use collabgov_core::{Label, LabelArg};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// The English catalogue, as the page fetches it.
pub const EN_FTL: &str = include_str!("../locales/en.ftl");
/// The Indonesian catalogue.
pub const ID_FTL: &str = include_str!("../locales/id.ftl");

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Bahasa Indonesia.
    Id,
}

impl Lang {
    /// `en` or `id` (also `id_ID`, `id-ID.UTF-8`, `en_US`, ...); `None` for any other.
    pub fn parse(text: &str) -> Option<Lang> {
        let code = text
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match code.as_str() {
            "id" | "in" => Some(Lang::Id),
            "en" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the environment asks for, as gettext reads it: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG` (`LANG=id_ID.UTF-8` gives Indonesian); English when
    /// none names a language of ours.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .next()
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    }

    /// `en` or `id`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    /// The catalogue's text.
    pub fn ftl(self) -> &'static str {
        match self {
            Lang::En => EN_FTL,
            Lang::Id => ID_FTL,
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static EN: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
        static ID: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
        let cell = match self {
            Lang::En => &EN,
            Lang::Id => &ID,
        };
        cell.get_or_init(|| {
            let langid: unic_langid::LanguageIdentifier =
                self.code().parse().expect("a valid language code");
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Text goes to terminals, CSV and HTML: no Unicode isolation marks around values.
            bundle.set_use_isolating(false);
            let resource = FluentResource::try_new(self.ftl().to_string())
                .expect("the bundled catalogue parses (tested)");
            bundle
                .add_resource(resource)
                .expect("no key twice in the bundled catalogue (tested)");
            bundle
        })
    }

    /// Message `key` with `args` filled in; the key itself when the catalogue lacks it
    /// (a test checks that every key used exists in both languages).
    pub fn text(self, key: &str, args: &[(&str, String)]) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// A sector's name: as the scenario names it in English, the catalogue's
    /// `sector-NAME` in another language where it has one (`kesehatan` for `health`).
    pub fn sector(self, name: &str) -> String {
        self.known(&format!("sector-{name}"))
            .unwrap_or_else(|| name.to_string())
    }

    /// An actor's name as a chart labels it: a coordinating agency's, which the core names
    /// (`collabgov_core::scenario::interventions::coordinating_agency::actor_name`), in
    /// this language (`lembaga koordinasi khusus (koordinasi)`); any other name as it is.
    pub fn actor_name(self, name: &str, sector: &str) -> String {
        use collabgov_core::scenario::interventions::coordinating_agency;
        if self != Lang::En && name == coordinating_agency::actor_name(sector) {
            format!(
                "{} ({})",
                self.text("intervention-coordinating-agency", &[]),
                self.sector(sector)
            )
        } else {
            name.to_string()
        }
    }

    /// Message `key` without arguments where the catalogue has it, in a language other
    /// than English (whose words are the scenario's own names).
    fn known(self, key: &str) -> Option<String> {
        (self != Lang::En && self.bundle().has_message(key)).then(|| self.text(key, &[]))
    }

    /// An intervention's label ([`Label`], from the core) in this language: `task force
    /// environment+health (rounds 30-80)`, `gugus tugas lingkungan hidup+kesehatan
    /// (putaran 30-80)`. The English is what `run.json` and the charts have always said.
    pub fn label(self, label: &Label) -> String {
        let args: Vec<(&str, String)> = label
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    LabelArg::Text(text) => text.clone(),
                    LabelArg::Parameter(name) => self.known(name).unwrap_or_else(|| name.clone()),
                    LabelArg::Number(v) => self.decimal_mark(v.to_string()),
                    LabelArg::Sectors(names) => names
                        .iter()
                        .map(|n| self.sector(n))
                        .collect::<Vec<_>>()
                        .join("+"),
                    LabelArg::Parts(parts) => parts
                        .iter()
                        .map(|p| self.label(p))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                (*name, value)
            })
            .collect();
        self.text(label.key, &args)
    }

    /// `v` with `decimals` decimals, in this language's way: `0.85` or `0,85`.
    pub fn number(self, v: f64, decimals: usize) -> String {
        self.decimal_mark(format!("{v:.decimals$}"))
    }

    /// A number written with a decimal point (`128.5`, `+0.12`) given this language's
    /// decimal mark: unchanged in English, `128,5` in Indonesian.
    pub fn decimal_mark(self, text: String) -> String {
        match self {
            Lang::En => text,
            Lang::Id => text.replace('.', ","),
        }
    }

    /// An interval's two ends as this language separates them: `[0.43, 0.47]` or
    /// `[0,43; 0,47]` (a comma would be ambiguous beside decimal commas).
    pub fn interval(self, low: &str, high: &str) -> String {
        match self {
            Lang::En => format!("[{low}, {high}]"),
            Lang::Id => format!("[{low}; {high}]"),
        }
    }
}

/// The message keys of a catalogue's text, in order.
pub fn keys(ftl: &str) -> Vec<String> {
    use fluent_bundle::FluentResource;
    let resource = FluentResource::try_new(ftl.to_string()).unwrap_or_else(|(r, _)| r);
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_parse_and_hold_the_same_keys() {
        for lang in [Lang::En, Lang::Id] {
            assert!(
                FluentResource::try_new(lang.ftl().to_string()).is_ok(),
                "{}.ftl does not parse",
                lang.code()
            );
        }
        let (en, id) = (keys(EN_FTL), keys(ID_FTL));
        let only_en: Vec<_> = en.iter().filter(|k| !id.contains(k)).collect();
        let only_id: Vec<_> = id.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            only_en.is_empty() && only_id.is_empty(),
            "keys only in en.ftl: {only_en:?}; only in id.ftl: {only_id:?}"
        );
        let mut sorted = en.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), en.len(), "a key twice in en.ftl");
    }

    #[test]
    fn intervention_labels_read_in_both_languages() {
        let task_force = Label::new(
            "intervention-task-force",
            vec![
                (
                    "who",
                    LabelArg::Sectors(vec!["environment".into(), "health".into()]),
                ),
                ("from", LabelArg::Text("30".into())),
                ("until", LabelArg::Text("80".into())),
            ],
        );
        assert_eq!(
            Lang::En.label(&task_force),
            "task force environment+health (rounds 30-80)"
        );
        assert_eq!(
            Lang::Id.label(&task_force),
            "gugus tugas lingkungan hidup+kesehatan (putaran 30-80)"
        );
        let set = Label::new(
            "intervention-set",
            vec![
                ("parameter", LabelArg::Parameter("silo".into())),
                ("value", LabelArg::Number(0.2)),
            ],
        );
        assert_eq!(Lang::En.label(&set), "silo = 0.2");
        assert_eq!(Lang::Id.label(&set), "Siloisasi = 0,2");
        let rebalance = Label::new(
            "intervention-rebalance",
            vec![(
                "parts",
                LabelArg::Parts(vec![
                    Label::new(
                        "intervention-rebalance-autonomy",
                        vec![("value", LabelArg::Number(0.5))],
                    ),
                    Label::new("intervention-rebalance-power", vec![]),
                ]),
            )],
        );
        assert_eq!(
            Lang::En.label(&rebalance),
            "rebalance (autonomy 0.5, power by level)"
        );
        assert_eq!(
            Lang::Id.label(&rebalance),
            "penyeimbangan (otonomi 0,5, kekuasaan menurut tingkat)"
        );
        // Every intervention of every bundled scenario has its words in both languages.
        for (name, text) in crate::bundled::BUNDLED {
            let s =
                collabgov_core::Scenario::parse(text, name, &collabgov_core::scenario::no_files)
                    .unwrap();
            for iv in &s.interventions {
                let label = iv.label(&s.forum.sectors);
                for lang in [Lang::En, Lang::Id] {
                    let text = lang.label(&label);
                    assert!(!text.contains("intervention-"), "{name}: {text}");
                }
            }
        }
    }

    #[test]
    fn messages_take_values_and_numbers_follow_the_language() {
        let args = [("n", "5".to_string())];
        assert_eq!(Lang::En.text("speed_value", &args), "5 rounds a second");
        assert_eq!(Lang::Id.text("speed_value", &args), "5 putaran per detik");
        assert_eq!(Lang::Id.number(0.854, 2), "0,85");
        assert_eq!(Lang::En.number(0.854, 2), "0.85");
        assert_eq!(Lang::Id.interval("0,43", "0,47"), "[0,43; 0,47]");
        assert_eq!(Lang::En.text("no-such-key", &[]), "no-such-key");
        assert_eq!(Lang::parse("id_ID.UTF-8"), Some(Lang::Id));
        assert_eq!(Lang::parse("en_US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr_FR"), None);
    }
}
