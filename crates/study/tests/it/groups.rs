//! The per-group series (trust, commitment and participation by sector and by kind):
//! each replicate's last round against the same means computed by hand from its final
//! state, on bundled scenarios that take every path of `record` (running sums; late joins,
//! added relations and merges; services changing trust), and `rounds.csv` with its `group`
//! column written, read back, and read from a file written before the column existed.

#![allow(clippy::unwrap_used)]

use collabgov_core::scenario::no_files;
use collabgov_core::{Overrides, Scenario};
use collabgov_sim::metrics::GroupMetric;
use collabgov_sim::{Metric, RunOptions, run};
use collabgov_study::output::RunTables;

fn bundled(name: &str) -> Scenario {
    let text = collabgov_study::bundled::BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1;
    let overrides = Overrides {
        replicates: Some(6),
        ..Overrides::default()
    };
    Scenario::parse_with(text, name, &no_files, &overrides)
        .unwrap()
        .scenario
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-12,
        "{what}: {a} against {b}"
    );
}

/// Each replicate's last-round group values against means over its final state: trust over
/// the relations that exist in the last round held by the group's existing actors,
/// commitment over those actors; participation weighted by group size adds up to the
/// participants of the round.
fn check_last_round(name: &str) {
    let s = bundled(name);
    let result = run(
        &s,
        &RunOptions {
            all_actors: true,
            ..RunOptions::default()
        },
    );
    let t = s.rounds;
    let per_round = 3 * result.groups.len();
    let n_sectors = s.forum.sectors.len();
    for rep in &result.replicates {
        // Each replicate may run on a network of its own.
        let drawn = s.network_draw(rep.draw).unwrap();
        let forum = &drawn.forum;
        let graph = &forum.graph;
        let last = &rep.groups[t as usize * per_round..];
        assert_eq!(last.len(), per_round, "{name}: one round's values");
        let exists = |i: usize| forum.joins_at[i] <= t;
        // Membership by the group's name, as a reader of rounds.csv would take it.
        let in_group = |g: usize, i: usize| match result.groups[g].as_str() {
            "kind:agency" => forum.is_agency[i],
            "kind:non_state" => !forum.is_agency[i],
            sector => sector == format!("sector:{}", forum.sectors[forum.sector_of[i] as usize]),
        };
        for (g, group) in result.groups.iter().enumerate() {
            let members: Vec<usize> = (0..forum.n_actors())
                .filter(|&i| exists(i) && in_group(g, i))
                .collect();
            let (mut sum, mut count) = (0.0, 0usize);
            for &i in &members {
                for (slot, &j) in graph.slots(i).zip(graph.neighbors(i)) {
                    let live = forum.windows.as_ref().is_none_or(|w| w[slot].contains(t));
                    if live && exists(j as usize) {
                        sum += rep.state.trust[slot];
                        count += 1;
                    }
                }
            }
            let trust = if count == 0 {
                f64::NAN
            } else {
                sum / count as f64
            };
            let at = |m: GroupMetric| last[m.index() * result.groups.len() + g];
            close(
                at(GroupMetric::Trust),
                trust,
                &format!("{name} {group} trust"),
            );
            let commitment = members
                .iter()
                .map(|&i| rep.state.commitment[i])
                .sum::<f64>()
                / members.len() as f64;
            close(
                at(GroupMetric::Commitment),
                commitment,
                &format!("{name} {group} commitment"),
            );
        }
        // Participation by sector, weighted by the sectors' existing actors, adds up to
        // the round's participants.
        let participants: f64 = (0..n_sectors)
            .map(|g| {
                let size = (0..forum.n_actors())
                    .filter(|&i| exists(i) && in_group(g, i))
                    .count();
                let share = last[GroupMetric::Participation.index() * result.groups.len() + g];
                if size == 0 { 0.0 } else { share * size as f64 }
            })
            .sum();
        let counted = rep.records[t as usize][Metric::Participants.index()];
        close(
            participants.round(),
            counted,
            &format!("{name} participants"),
        );
        assert!((participants - counted).abs() < 1e-9);
    }
}

#[test]
fn group_series_match_the_final_state_on_every_path_of_record() {
    // Running sums only.
    check_last_round("default");
    // Participation below one.
    check_last_round("inclusive-forum-low");
    // A coordinating agency joining late, a task force's relations, a `set`.
    check_last_round("whole-of-government");
    // A merge.
    check_last_round("capacity-gap");
    // Services: official assistance changes trust.
    check_last_round("services-one-door-task-force");
}

#[test]
fn groups_are_each_sector_then_each_kind_present() {
    let s = bundled("whole-of-government");
    let result = run(&s, &RunOptions::default());
    let mut expected: Vec<String> = s
        .forum
        .sectors
        .iter()
        .map(|n| format!("sector:{n}"))
        .collect();
    expected.extend(["kind:agency".to_string(), "kind:non_state".to_string()]);
    assert_eq!(result.groups, expected);
    // Participation is empty at round 0, before anyone takes part, and a share after.
    let per_round = 3 * result.groups.len();
    for rep in &result.replicates {
        let participation = |t: usize| {
            let at = t * per_round + GroupMetric::Participation.index() * result.groups.len();
            rep.groups[at..at + result.groups.len()].to_vec()
        };
        assert!(participation(0).iter().all(|p| p.is_nan()));
        // Empty for a group with no actor yet (the coordinating agency's own sector).
        assert!(
            participation(1)
                .iter()
                .all(|p| p.is_nan() || (0.0..=1.0).contains(p))
        );
        assert!(participation(1).iter().filter(|p| !p.is_nan()).count() >= 4);
    }
}

#[test]
fn rounds_csv_holds_the_groups_and_reads_old_files() {
    let s = bundled("siloed-government");
    let tables = RunTables::from_run(&s, &run(&s, &RunOptions::default()));
    let mut text = Vec::new();
    tables.write_rounds(&mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "round,metric,group,mean,sd,q025,q50,q975,n"
    );
    // Round 0: the forum's rows, then its groups' rows, then round 1.
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let forum_rows = tables.metrics().len();
    let group_rows = 3 * (s.forum.sectors.len() + 2);
    assert!(
        rows[..forum_rows]
            .iter()
            .all(|r| r[0] == "0" && r[2] == "all")
    );
    assert!(
        rows[forum_rows..forum_rows + group_rows]
            .iter()
            .all(|r| r[0] == "0" && r[2] != "all")
    );
    assert_eq!(rows[forum_rows + group_rows][0], "1");
    assert_eq!(
        rows.len(),
        (s.rounds as usize + 1) * (forum_rows + group_rows)
    );
    assert!(
        rows.iter()
            .any(|r| r[1] == "trust" && r[2] == "kind:non_state")
    );
    assert!(
        rows.iter()
            .any(|r| r[1] == "participation" && r[2] == "sector:environment")
    );
    // Read back, written again: the same bytes.
    let back = RunTables::read(&text, "", "", "", "").unwrap();
    // (Debug forms: an empty value is NaN, which equals nothing.)
    assert_eq!(format!("{:?}", back.rounds), format!("{:?}", tables.rounds));
    assert_eq!(format!("{:?}", back.groups), format!("{:?}", tables.groups));
    let mut again = Vec::new();
    back.write_rounds(&mut again).unwrap();
    assert_eq!(String::from_utf8(again).unwrap(), text);
    // A file from before the column: every row is the forum's.
    let old: String = text
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[2] == "all" || cells[2] == "group").then(|| {
                let mut kept = cells.clone();
                kept.remove(2);
                kept.join(",") + "\n"
            })
        })
        .collect();
    let old = RunTables::read(&old, "", "", "", "").unwrap();
    assert_eq!(format!("{:?}", old.rounds), format!("{:?}", tables.rounds));
    assert!(old.groups.is_empty());
    // A group row naming a metric the series does not have is refused with its line.
    let bad = text.replacen(",participation,sector:", ",wins,sector:", 1);
    let err = RunTables::read(&bad, "", "", "", "")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("rounds.csv, line") && err.contains("`metric`"),
        "{err}"
    );
    assert!(err.contains("found \"wins\""), "{err}");
}

#[test]
fn skipping_the_groups_changes_no_other_value() {
    let s = bundled("whole-of-government");
    let with = run(&s, &RunOptions::default());
    let without = run(
        &s,
        &RunOptions {
            skip_groups: true,
            ..RunOptions::default()
        },
    );
    assert!(without.groups.is_empty());
    for (a, b) in with.replicates.iter().zip(&without.replicates) {
        assert!(b.groups.is_empty());
        assert_eq!(format!("{:?}", a.records), format!("{:?}", b.records));
        assert_eq!(a.state, b.state);
    }
    let tables = RunTables::from_run(&s, &without);
    assert!(tables.groups.is_empty());
}
