//! Scenario discovery with the Patient Rule Induction Method (PRIM; Friedman and Fisher
//! 1999) as EMA Workbench runs it (`ema_workbench.analysis.prim.Prim`, its defaults:
//! the `lenient1` objective, peeling and pasting alpha 0.05, least mass 0.05, continuous
//! factors): which ranges of a sweep's factors hold the points where a condition on an
//! output holds. Every step of the peeling and pasting trajectory is kept, with its
//! coverage, density and limits. `collabgov discover` and Python's `discover` call
//! [`discover`]; the Python tests check it against EMA Workbench on the same points.

use collabgov_core::scenario::error::excerpt;

use super::analysis::Points;

/// PRIM's settings, as EMA Workbench names them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimOptions {
    /// The share of the box's points each peel removes (EMA's `peel_alpha`, 0.05).
    pub peel_alpha: f64,
    /// The share each paste adds back (`paste_alpha`, 0.05).
    pub paste_alpha: f64,
    /// The least share of all points a box keeps (`mass_min`, 0.05).
    pub mass_min: f64,
}

impl Default for PrimOptions {
    fn default() -> PrimOptions {
        PrimOptions {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
        }
    }
}

/// One box on the trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct BoxStep {
    /// Step on the trajectory (0: the box of all points).
    pub id: usize,
    /// Share of all points of interest inside the box.
    pub coverage: f64,
    /// Share of the box's points that are of interest.
    pub density: f64,
    /// Share of all points inside the box.
    pub mass: f64,
    /// Points inside.
    pub n: usize,
    /// Points of interest inside.
    pub k: usize,
    /// Factors the box restricts.
    pub res_dim: usize,
    /// Each factor's (lower, upper) limit, inclusive.
    pub limits: Vec<(f64, f64)>,
}

impl PrimOptions {
    /// Checks every share: above 0 and below 0.5 (a peel of half the points or more, or
    /// none, is no peel), naming the option as the command line does.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in [
            ("peel_alpha (--peel-alpha)", self.peel_alpha),
            ("paste_alpha (--paste-alpha)", self.paste_alpha),
            ("mass_min (--mass-min)", self.mass_min),
        ] {
            if !(v > 0.0 && v < 0.5) {
                return Err(format!(
                    "{name}: expected a share above 0 and below 0.5, found {v}"
                ));
            }
        }
        Ok(())
    }
}

/// EMA Workbench's quantile (`prim_util.get_quantile`, after sdtoolkit): the midpoint of
/// the two order statistics around `q`, moved outwards past ties so that a peel never cuts
/// through equal values.
pub fn quantile(data: &mut [f64], q: f64) -> f64 {
    data.sort_by(f64::total_cmp);
    let i = (data.len() - 1) as f64 * q;
    let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while data[lo] == data[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while data[lo] == data[hi] && hi < data.len() - 1 {
            hi += 1;
        }
    }
    (data[lo] + data[hi]) / 2.0
}

/// EMA Workbench's `lenient1` objective: the gain in mean per point removed (or added).
fn lenient1(y: &[f64], old: &[usize], new: &[usize]) -> f64 {
    let (m_old, m_new) = (mean_at(y, old), mean_at(y, new));
    if m_old == m_new || old.len() == new.len() {
        return 0.0;
    }
    (m_new - m_old) / old.len().abs_diff(new.len()) as f64
}

/// A box's limits, factor by factor.
type Limits = Vec<(f64, f64)>;
/// A candidate box: the points inside and its limits.
type Candidate = (Vec<usize>, Limits);

/// The mean of `y` at `idx`; 0 for none (as EMA Workbench takes an empty box's mean).
fn mean_at(y: &[f64], idx: &[usize]) -> f64 {
    if idx.is_empty() {
        0.0
    } else {
        idx.iter().map(|&i| y[i]).sum::<f64>() / idx.len() as f64
    }
}

struct Prim<'a> {
    /// Points' factor values, row by row.
    x: &'a [Vec<f64>],
    /// 1 where the condition holds, else 0.
    y: &'a [f64],
    init: Vec<(f64, f64)>,
    options: PrimOptions,
    total_cases: usize,
}

impl Prim<'_> {
    fn restricted(&self, limits: &[(f64, f64)]) -> Vec<usize> {
        (0..limits.len())
            .filter(|&j| limits[j] != self.init[j])
            .collect()
    }

    fn step(&self, id: usize, limits: Vec<(f64, f64)>, inside: &[usize]) -> BoxStep {
        let k = inside.iter().filter(|&&i| self.y[i] >= 0.5).count();
        BoxStep {
            id,
            coverage: k as f64 / self.total_cases as f64,
            density: k as f64 / inside.len() as f64,
            mass: inside.len() as f64 / self.x.len() as f64,
            n: inside.len(),
            k,
            res_dim: self.restricted(&limits).len(),
            limits,
        }
    }

    /// The best of `candidates` (indices inside, limits): the highest objective, then the
    /// fewest restricted factors, then the first (Python's stable sort, as EMA's).
    fn best(&self, inside: &[usize], candidates: Vec<Candidate>) -> Option<(f64, Candidate)> {
        let mut best: Option<(f64, usize, Candidate)> = None;
        for (indices, limits) in candidates {
            let obj = lenient1(self.y, inside, &indices);
            let free = limits.len() - self.restricted(&limits).len();
            if best
                .as_ref()
                .is_none_or(|(o, f, _)| obj > *o || (obj == *o && free > *f))
            {
                best = Some((obj, free, (indices, limits)));
            }
        }
        best.map(|(obj, _, candidate)| (obj, candidate))
    }

    fn peels(&self, inside: &[usize], limits: &[(f64, f64)]) -> Vec<Candidate> {
        let mut out = Vec::new();
        let mut column = Vec::with_capacity(inside.len());
        for j in 0..limits.len() {
            for upper in [true, false] {
                column.clear();
                column.extend(inside.iter().map(|&i| self.x[i][j]));
                let alpha = self.options.peel_alpha;
                let cut = quantile(&mut column, if upper { 1.0 - alpha } else { alpha });
                let kept: Vec<usize> = inside
                    .iter()
                    .copied()
                    .filter(|&i| {
                        if upper {
                            self.x[i][j] <= cut
                        } else {
                            self.x[i][j] >= cut
                        }
                    })
                    .collect();
                let mut new = limits.to_vec();
                if upper {
                    new[j].1 = cut;
                } else {
                    new[j].0 = cut;
                }
                out.push((kept, new));
            }
        }
        out
    }

    fn in_box(&self, i: usize, limits: &[(f64, f64)], dims: &[usize]) -> bool {
        dims.iter()
            .all(|&j| limits[j].0 <= self.x[i][j] && self.x[i][j] <= limits[j].1)
    }

    fn pastes(&self, limits: &[(f64, f64)]) -> Vec<Candidate> {
        let dims = self.restricted(limits);
        let mut out = Vec::new();
        for &u in &dims {
            for lower in [true, false] {
                let (min, max) = self.init[u];
                let mut strip = limits.to_vec();
                strip[u] = if lower {
                    (min, limits[u].0)
                } else {
                    (limits[u].1, max)
                };
                let mut data: Vec<f64> = (0..self.x.len())
                    .filter(|&i| self.in_box(i, &strip, &dims))
                    .map(|i| self.x[i][u])
                    .collect();
                let alpha = self.options.paste_alpha;
                let mut new = limits.to_vec();
                if lower {
                    new[u].0 = if data.is_empty() {
                        min
                    } else {
                        quantile(&mut data, 1.0 - alpha)
                    };
                } else {
                    new[u].1 = if data.is_empty() {
                        max
                    } else {
                        quantile(&mut data, alpha)
                    };
                }
                let inside = (0..self.x.len())
                    .filter(|&i| self.in_box(i, &new, &dims))
                    .collect();
                out.push((inside, new));
            }
        }
        out
    }

    fn trajectory(&self) -> Vec<BoxStep> {
        let n = self.x.len() as f64;
        let mut limits = self.init.clone();
        let mut inside: Vec<usize> = (0..self.x.len()).collect();
        let mut steps = vec![self.step(0, limits.clone(), &inside)];
        // Peeling.
        while let Some((obj, (new_inside, new_limits))) =
            self.best(&inside, self.peels(&inside, &limits))
        {
            let mass = new_inside.len() as f64 / n;
            if !(mass >= self.options.mass_min && new_inside.len() < inside.len() && obj > 0.0) {
                break;
            }
            (inside, limits) = (new_inside, new_limits);
            steps.push(self.step(steps.len(), limits.clone(), &inside));
        }
        // Pasting.
        while let Some((obj, (new_inside, new_limits))) = self.best(&inside, self.pastes(&limits)) {
            let mass = new_inside.len() as f64 / n;
            if !(mass >= self.options.mass_min
                && new_inside.len() > inside.len()
                && obj > 0.0
                && mean_at(self.y, &new_inside) > mean_at(self.y, &inside))
            {
                break;
            }
            (inside, limits) = (new_inside, new_limits);
            steps.push(self.step(steps.len(), limits.clone(), &inside));
        }
        steps
    }
}

/// PRIM's peeling and pasting trajectory of one box over points `x` (row by row) where
/// `cases` marks the points of interest. Needs at least one point and one case.
pub fn prim(x: &[Vec<f64>], cases: &[bool], options: PrimOptions) -> Vec<BoxStep> {
    let k = x.first().map_or(0, Vec::len);
    let init = (0..k)
        .map(|j| {
            x.iter()
                .map(|r| r[j])
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                })
        })
        .collect();
    let y: Vec<f64> = cases.iter().map(|&c| f64::from(u8::from(c))).collect();
    Prim {
        x,
        y: &y,
        init,
        options,
        total_cases: cases.iter().filter(|&&c| c).count(),
    }
    .trajectory()
}

/// A condition on an output: `column op value`, e.g. `consensus_share < 0.2`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// A column of `points.csv`.
    pub column: String,
    /// `<`, `<=`, `>` or `>=`.
    pub op: String,
    /// The value compared with.
    pub value: f64,
}

impl Condition {
    /// Reads `column op value`.
    pub fn parse(text: &str) -> Result<Condition, String> {
        let ops = ["<=", ">=", "<", ">"];
        let found = ops
            .iter()
            .filter_map(|op| text.find(op).map(|at| (at, *op)))
            .min_by_key(|(at, op)| (*at, std::cmp::Reverse(op.len())));
        let Some((at, op)) = found else {
            return Err(format!(
                "--where: expected COLUMN OP VALUE with OP one of <, <=, >, >= (e.g. \"consensus_share < 0.2\"), found \"{}\"",
                excerpt(text)
            ));
        };
        let column = text[..at].trim().to_string();
        let rest = text[at + op.len()..].trim();
        let value: f64 = rest
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                format!(
                    "--where: expected a number after {op}, found \"{}\"",
                    excerpt(rest)
                )
            })?;
        if column.is_empty() {
            return Err(format!(
                "--where: expected a column before {op}, found \"{}\"",
                excerpt(text)
            ));
        }
        Ok(Condition {
            column,
            op: op.to_string(),
            value,
        })
    }

    fn holds(&self, v: f64) -> bool {
        match self.op.as_str() {
            "<" => v < self.value,
            "<=" => v <= self.value,
            ">" => v > self.value,
            _ => v >= self.value,
        }
    }
}

/// What [`discover`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    /// The factors' key paths.
    pub factors: Vec<String>,
    /// The condition.
    pub condition: Condition,
    /// Points, and points where the condition holds.
    pub points: usize,
    /// Points where the condition holds.
    pub cases: usize,
    /// The peeling and pasting trajectory.
    pub trajectory: Vec<BoxStep>,
    /// The box the sentence describes (its `id`).
    pub chosen: usize,
}

/// Runs PRIM on a sweep's `points.csv` text over `factors` (its factor columns) for the
/// points where `condition` holds, and chooses a box: `chosen`, or else the densest box
/// whose coverage is at least `min_coverage` (the first of equals).
pub fn discover(
    points_text: &str,
    factors: &[String],
    condition: &str,
    options: PrimOptions,
    (chosen, min_coverage): (Option<usize>, f64),
) -> Result<Discovery, String> {
    options.check()?;
    if !(0.0..=1.0).contains(&min_coverage) {
        return Err(format!(
            "min_coverage (--min-coverage): expected a share from 0 to 1, found {min_coverage}"
        ));
    }
    let condition = Condition::parse(condition)?;
    let points = Points::parse(points_text).map_err(|e| format!("points.csv: {e}"))?;
    if !points.has(&condition.column) {
        return Err(format!(
            "--where: expected a column of points.csv ({}), found \"{}\"",
            points.headers().join(", "),
            excerpt(&condition.column)
        ));
    }
    let y = points.column(&condition.column);
    let columns: Vec<Vec<f64>> = factors.iter().map(|f| points.column(f)).collect();
    let rows: Vec<usize> = (0..y.len())
        .filter(|&i| !y[i].is_nan() && columns.iter().all(|c| !c[i].is_nan()))
        .collect();
    let x: Vec<Vec<f64>> = rows
        .iter()
        .map(|&i| columns.iter().map(|c| c[i]).collect())
        .collect();
    let cases: Vec<bool> = rows.iter().map(|&i| condition.holds(y[i])).collect();
    let n_cases = cases.iter().filter(|&&c| c).count();
    if x.is_empty() || factors.is_empty() {
        return Err("points.csv: expected points with factor values, found none".into());
    }
    if n_cases == 0 {
        return Err(format!(
            "--where: \"{} {} {}\" holds at none of the {} points; nothing to discover",
            condition.column,
            condition.op,
            condition.value,
            x.len()
        ));
    }
    let trajectory = prim(&x, &cases, options);
    let chosen = match chosen {
        Some(id) if id < trajectory.len() => id,
        Some(id) => {
            return Err(format!(
                "--box: expected a step from 0 to {}, found {id}",
                trajectory.len() - 1
            ));
        }
        None => trajectory
            .iter()
            .filter(|s| s.coverage >= min_coverage)
            .fold(None::<&BoxStep>, |best, s| match best {
                Some(b) if b.density >= s.density => Some(b),
                _ => Some(s),
            })
            .map_or(0, |s| s.id),
    };
    Ok(Discovery {
        factors: factors.to_vec(),
        condition,
        points: x.len(),
        cases: n_cases,
        trajectory,
        chosen,
    })
}

impl Discovery {
    /// The chosen box's restrictions, as `name op value` texts (`silo >= 0.62`, or
    /// `0.2 <= silo <= 0.6`).
    pub fn restrictions(&self, step: &BoxStep) -> Vec<String> {
        let init = &self.trajectory[0].limits;
        let num = |v: f64| {
            format!("{v:.3}")
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        };
        self.factors
            .iter()
            .zip(step.limits.iter().zip(init))
            .filter(|(_, (l, i))| l != i)
            .map(|(f, (&(lo, hi), &(min, max)))| {
                let name = f.rsplit('.').next().unwrap_or(f);
                match (lo > min, hi < max) {
                    (true, true) => format!("{} <= {name} <= {}", num(lo), num(hi)),
                    (true, false) => format!("{name} >= {}", num(lo)),
                    _ => format!("{name} <= {}", num(hi)),
                }
            })
            .collect()
    }

    /// The finding in a sentence: "consensus_share < 0.2 holds in 84 % of the points with
    /// silo >= 0.62 and leadership <= 0.41 (31 % of all points), which hold 71 % of the
    /// 180 points where it holds (box 12 of the trajectory)."
    pub fn sentence(&self) -> String {
        let step = &self.trajectory[self.chosen];
        let c = &self.condition;
        let pct = |v: f64| format!("{:.0} %", 100.0 * v);
        let what = format!("{} {} {}", c.column, c.op, c.value);
        let rules = self.restrictions(step);
        if rules.is_empty() {
            return format!(
                "{what} holds at {} of {} points ({}); PRIM found no box that concentrates them.",
                self.cases,
                self.points,
                pct(self.cases as f64 / self.points as f64)
            );
        }
        format!(
            "{what} holds in {} of the points with {} ({} of all points), which hold {} of the {} points where it holds (box {} of the trajectory).",
            pct(step.density),
            rules.join(" and "),
            pct(step.mass),
            pct(step.coverage),
            self.cases,
            step.id
        )
    }

    /// The trajectory as CSV: `id,coverage,density,mass,n,k,res_dim`, then each factor's
    /// `_low` and `_high` limit.
    pub fn trajectory_csv(&self) -> String {
        let num = collabgov_sim::stats::format_number;
        let mut out = String::from("id,coverage,density,mass,n,k,res_dim");
        for f in &self.factors {
            out.push_str(&format!(",{f}_low,{f}_high"));
        }
        out.push('\n');
        for s in &self.trajectory {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}",
                s.id,
                num(s.coverage),
                num(s.density),
                num(s.mass),
                s.n,
                s.k,
                s.res_dim
            ));
            for (lo, hi) in &s.limits {
                out.push_str(&format!(",{},{}", num(*lo), num(*hi)));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_moves_past_ties_as_ema_workbench_does() {
        // (n - 1) q = 0.45 for n = 10: the lower order statistics 0 and 1 are tied at 0.0,
        // so the peel goes to the midpoint of 0.0 and the next distinct value.
        let mut d = vec![0.0, 0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        assert!((quantile(&mut d, 0.05) - 0.1).abs() < 1e-12);
        // 20 x 0.95 = 19 exactly: the two order statistics are one, so it moves down to
        // the midpoint of the 19th and 20th values (EMA Workbench gives 0.925 too).
        let mut d: Vec<f64> = (0..21).map(|i| f64::from(i) / 20.0).collect();
        assert!((quantile(&mut d, 0.95) - 0.925).abs() < 1e-12);
    }

    /// Cases in the corner x0 > 0.7, x1 < 0.3 of a grid, the third factor noise: the box
    /// PRIM ends on restricts the two factors near those limits and holds only cases.
    #[test]
    fn prim_finds_a_corner() {
        let mut x = Vec::new();
        for a in 0..20 {
            for b in 0..20 {
                x.push(vec![
                    f64::from(a) / 19.0,
                    f64::from(b) / 19.0,
                    f64::from((a * 7 + b * 3) % 11) / 10.0,
                ]);
            }
        }
        let cases: Vec<bool> = x.iter().map(|p| p[0] > 0.7 && p[1] < 0.3).collect();
        let t = prim(&x, &cases, PrimOptions::default());
        let last = t.last().unwrap();
        assert_eq!(t[0].coverage, 1.0);
        assert!(last.density > 0.95, "{last:?}");
        assert!(last.coverage > 0.8, "{last:?}");
        assert!((last.limits[0].0 - 0.7).abs() < 0.06 && (last.limits[1].1 - 0.3).abs() < 0.06);
        assert_eq!(
            last.limits[2], t[0].limits[2],
            "the noise factor stays free"
        );
        // Coverage never rises while peeling, density never falls.
        for w in t.windows(2) {
            assert!(w[1].density >= w[0].density - 1e-12 || w[1].n > w[0].n);
        }
    }

    #[test]
    fn conditions_parse_and_refuse() {
        let c = Condition::parse("consensus_share < 0.2").unwrap();
        assert_eq!(
            (c.column.as_str(), c.op.as_str(), c.value),
            ("consensus_share", "<", 0.2)
        );
        let c = Condition::parse("trust_across_mean>=0.5").unwrap();
        assert_eq!(c.op, ">=");
        assert!(
            Condition::parse("consensus_share = 0.2")
                .unwrap_err()
                .contains("OP one of")
        );
        assert!(
            Condition::parse("consensus_share < high")
                .unwrap_err()
                .contains("a number")
        );
        assert!(Condition::parse("< 0.3").unwrap_err().contains("a column"));
    }
}
