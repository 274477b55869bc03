//! Ansell & Gash's (2008) six criteria of collaborative governance, judged from a
//! scenario's facts (`collabgov validate`, the Python package's `validate`).

use collabgov_core::Scenario;
use collabgov_core::scenario::raw::{DecisionRule, Engagement, Focus, InitiatedBy, value_name};

/// One criterion's verdict.
pub struct Criterion {
    /// The criterion, as the seed words it.
    pub name: &'static str,
    /// Whether the scenario meets it.
    pub pass: bool,
    /// Why, in terms of the scenario's facts.
    pub reason: String,
}

/// The `k`-th criterion's name (0 to 5) in `lang`, from the catalogue's `criterion-N`
/// (whose English is [`Criterion::name`]; a test holds them equal).
pub fn title_in(k: usize, lang: crate::i18n::Lang) -> String {
    lang.text(&format!("criterion-{}", k + 1), &[])
}

/// Ansell & Gash's six criteria, judged from the scenario's facts.
pub fn six_criteria(s: &Scenario) -> Vec<Criterion> {
    let forum = &s.resolved.forum;
    let actors = &s.forum.actors;
    let agencies = actors.iter().filter(|a| a.kind.is_agency()).count();
    let non_state = actors.len() - agencies;
    let p = &s.params;
    let mut out = Vec::new();
    let initiated = forum.initiated_by;
    out.push(Criterion {
        name: "1. The forum is initiated by public agencies or institutions",
        pass: agencies > 0 && initiated != Some(InitiatedBy::NonState),
        reason: match (agencies, initiated) {
            (0, _) => "the scenario has no public agency".into(),
            (_, Some(InitiatedBy::NonState)) => "forum.initiated_by = \"non_state\"".into(),
            (n, Some(x)) => format!(
                "forum.initiated_by = \"{}\" and {n} agencies take part",
                value_name(&x)
            ),
            (n, None) => {
                format!("{n} agencies take part (forum.initiated_by not set; assumed \"agency\")")
            }
        },
    });
    out.push(Criterion {
        name: "2. Participants include non-state actors",
        pass: non_state > 0 && p.inclusiveness > 0.0,
        reason: if non_state == 0 {
            "the scenario has no non-state actor".into()
        } else if p.inclusiveness <= 0.0 {
            format!("{non_state} non-state actors, but inclusiveness = 0: they never take part")
        } else {
            format!(
                "{non_state} non-state actors, each taking part with chance inclusiveness = {}",
                p.inclusiveness
            )
        },
    });
    let engagement = forum.engagement.unwrap_or(Engagement::Decision);
    out.push(Criterion {
        name: "3. Participants engage directly in decision making, not only consulted",
        pass: engagement == Engagement::Decision,
        reason: format!(
            "forum.engagement = \"{}\"{}",
            value_name(&engagement),
            if forum.engagement.is_none() {
                " (default: in CG-1 every participant holds face-to-face dialogue)"
            } else {
                ""
            }
        ),
    });
    let formal = forum.formal.unwrap_or(true);
    out.push(Criterion {
        name: "4. The forum is formally organised and meets collectively",
        pass: formal && p.ground_rules > 0.0,
        reason: format!(
            "forum.formal = {formal}, ground_rules = {} (clear ground rules and transparency)",
            p.ground_rules
        ),
    });
    let rule = forum.decision_rule.unwrap_or(DecisionRule::Consensus);
    out.push(Criterion {
        name: "5. The forum aims to decide by consensus",
        pass: rule == DecisionRule::Consensus,
        reason: format!("forum.decision_rule = \"{}\"; consensus needs understanding >= {} and commitment >= {}", value_name(&rule), p.consensus.understanding, p.consensus.commitment),
    });
    let focus = forum.focus;
    out.push(Criterion {
        name: "6. The focus is public policy or public management",
        pass: matches!(focus, Some(Focus::PublicPolicy | Focus::PublicManagement)),
        reason: match focus {
            Some(f) => format!("forum.focus = \"{}\"", value_name(&f)),
            None => {
                "forum.focus is not set (say \"public_policy\" or \"public_management\")".into()
            }
        },
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_catalogue_names_the_criteria_as_validate_does() {
        let (_, text) = crate::bundled::BUNDLED[0];
        let s = Scenario::parse(text, "default.toml", &collabgov_core::scenario::no_files).unwrap();
        for (k, c) in six_criteria(&s).iter().enumerate() {
            assert_eq!(title_in(k, Lang::En), c.name);
            assert_ne!(title_in(k, Lang::Id), c.name);
        }
    }
}
