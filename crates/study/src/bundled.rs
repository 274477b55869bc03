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

/// The title of the bundled scenario `name` in `lang`, from the message catalogue
/// (`scenario-NAME` in `locales/*.ftl`).
pub fn title(name: &str, lang: crate::i18n::Lang) -> Option<String> {
    let key = format!("scenario-{name}");
    let text = lang.text(&key, &[]);
    (text != key).then_some(text)
}

/// The description of the bundled scenario `name` in `lang`, from the message catalogue
/// (`scenario-NAME-description`; the English one is the file's `description`).
pub fn description_in(name: &str, lang: crate::i18n::Lang) -> Option<String> {
    let key = format!("scenario-{name}-description");
    let text = lang.text(&key, &[]);
    (text != key).then_some(text)
}

/// The Indonesian description of the bundled scenario `name`.
pub fn description_id(name: &str) -> Option<String> {
    description_in(name, crate::i18n::Lang::Id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_scenario_has_a_title_and_description_in_both_languages() {
        use crate::i18n::Lang;
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
