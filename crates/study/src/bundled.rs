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

/// A scenario's title and description in `lang`, given its name and (English)
/// description. A scenario whose description is a bundled one's is titled by the
/// catalogue (`scenario-NAME`) when it keeps that name, and otherwise by its own name with
/// "based on" that scenario; its description is the catalogue's. Any other scenario keeps
/// its own name and description.
pub fn title_in(name: &str, description: &str, lang: crate::i18n::Lang) -> (String, String) {
    use crate::i18n::Lang;
    let base = BUNDLED.iter().map(|(n, _)| *n).find(|n| {
        !description.is_empty()
            && Lang::En.text(&format!("scenario-{n}-description"), &[]) == description
    });
    match base {
        None => (name.to_string(), description.to_string()),
        Some(base) => {
            let title = lang.text(&format!("scenario-{base}"), &[]);
            let text = lang.text(&format!("scenario-{base}-description"), &[]);
            if base == name {
                (title, text)
            } else {
                (
                    name.to_string(),
                    lang.text("based-on", &[("title", title), ("description", text)]),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `scenario-NAME` and `scenario-NAME-description` in `lang`'s catalogue, if there.
    fn catalogued(key: &str, lang: crate::i18n::Lang) -> Option<String> {
        Some(lang.text(key, &[])).filter(|text| text != key)
    }

    #[test]
    fn a_bundled_scenario_is_titled_from_the_catalogue_and_an_edited_one_by_its_name() {
        use crate::i18n::Lang;
        let en = Lang::En.text("scenario-siloed-government-description", &[]);
        let (title, text) = title_in("siloed-government", &en, Lang::Id);
        assert_eq!(title, Lang::Id.text("scenario-siloed-government", &[]));
        assert_eq!(
            text,
            Lang::Id.text("scenario-siloed-government-description", &[])
        );
        let (title, text) = title_in("+ gugus tugas", &en, Lang::Id);
        assert_eq!(title, "+ gugus tugas");
        assert!(text.starts_with("Berdasarkan "), "{text}");
        assert_eq!(
            title_in("mine", "My own forum", Lang::Id),
            ("mine".to_string(), "My own forum".to_string())
        );
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
