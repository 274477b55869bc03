//! The bundled scenarios, compiled in: every front end (the CLI, the Python package) lists
//! and loads the same ones by name.

/// Bundled scenarios: name and TOML text, compiled in.
pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../../../scenarios/default.toml")),
    (
        "siloed-government",
        include_str!("../../../scenarios/siloed-government.toml"),
    ),
    (
        "whole-of-government",
        include_str!("../../../scenarios/whole-of-government.toml"),
    ),
    (
        "conflict-prehistory",
        include_str!("../../../scenarios/conflict-prehistory.toml"),
    ),
    (
        "conflict-prehistory-facilitated",
        include_str!("../../../scenarios/conflict-prehistory-facilitated.toml"),
    ),
    (
        "power-imbalance",
        include_str!("../../../scenarios/power-imbalance.toml"),
    ),
    (
        "power-imbalance-facilitated",
        include_str!("../../../scenarios/power-imbalance-facilitated.toml"),
    ),
    (
        "inclusive-forum-low",
        include_str!("../../../scenarios/inclusive-forum-low.toml"),
    ),
    (
        "inclusive-forum-high",
        include_str!("../../../scenarios/inclusive-forum-high.toml"),
    ),
    (
        "unclear-legal-basis",
        include_str!("../../../scenarios/unclear-legal-basis.toml"),
    ),
    (
        "services-siloed",
        include_str!("../../../scenarios/services-siloed.toml"),
    ),
    (
        "services-one-door",
        include_str!("../../../scenarios/services-one-door.toml"),
    ),
    (
        "services-one-door-task-force",
        include_str!("../../../scenarios/services-one-door-task-force.toml"),
    ),
    (
        "services-electronic",
        include_str!("../../../scenarios/services-electronic.toml"),
    ),
    (
        "assistance-unclear-law",
        include_str!("../../../scenarios/assistance-unclear-law.toml"),
    ),
    (
        "assistance-mutual-aid",
        include_str!("../../../scenarios/assistance-mutual-aid.toml"),
    ),
    (
        "capacity-gap",
        include_str!("../../../scenarios/capacity-gap.toml"),
    ),
    (
        "levels-devolved",
        include_str!("../../../scenarios/levels-devolved.toml"),
    ),
    (
        "levels-recentralised",
        include_str!("../../../scenarios/levels-recentralised.toml"),
    ),
    (
        "levels-rebalanced",
        include_str!("../../../scenarios/levels-rebalanced.toml"),
    ),
    (
        "indonesia",
        include_str!("../../../scenarios/indonesia.toml"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `scenario-NAME` and `scenario-NAME-description` in `lang`'s catalogue, if there.
    fn catalogued(key: &str, lang: crate::i18n::Lang) -> Option<String> {
        Some(lang.text(key, &[])).filter(|text| text != key)
    }

    /// The page titles and describes each bundled scenario from the catalogue.
    #[test]
    fn every_bundled_scenario_has_a_title_and_description_in_both_languages() {
        use crate::i18n::Lang;
        let title = |name: &str, lang| catalogued(&format!("scenario-{name}"), lang);
        let description_in =
            |name: &str, lang| catalogued(&format!("scenario-{name}-description"), lang);
        for (name, text) in BUNDLED {
            for lang in [Lang::En, Lang::Id] {
                assert!(title(name, lang).is_some(), "{name}: no title in {lang:?}");
                assert!(
                    description_in(name, lang).is_some(),
                    "{name}: no description in {lang:?}"
                );
            }
            // The English description is the file's own.
            let file: toml::Value = toml::from_str(text).unwrap();
            assert_eq!(
                description_in(name, Lang::En).as_deref(),
                file.get("description").and_then(|d| d.as_str()),
                "{name}: en.ftl's description differs from the file's"
            );
        }
    }
}
