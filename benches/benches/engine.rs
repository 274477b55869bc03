//! Criterion benchmarks: one round at growing sizes, a full default-sized run, graph building.

use collabgov_benches::sbm_scenario;
use collabgov_sim::model::{Schedule, Scratch, State, play_round};
use collabgov_sim::{RunOptions, replicate_rng, run};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn one_round(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_round");
    group.sample_size(10);
    for n in [1_000u32, 10_000, 100_000] {
        let s = sbm_scenario(n, 10.0, 1, 1);
        let schedule = Schedule::new(&s.forum, &s.params, &s.interventions, 1);
        let mut rng = replicate_rng(1, 0);
        let mut state = State::draw(&s.forum, s.issues, &mut rng);
        let mut scratch = Scratch::new(&s.forum);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| play_round(&s.forum, &schedule, 1, &mut state, &mut scratch, &mut rng))
        });
    }
    group.finish();
}

fn full_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("full_run");
    group.sample_size(10);
    let s = sbm_scenario(1_000, 10.0, 200, 20);
    group.throughput(Throughput::Elements(1_000 * 200 * 20));
    group.bench_function("1000_actors_200_rounds_20_replicates", |b| {
        b.iter(|| run(&s, &RunOptions::default()))
    });
    group.finish();
}

fn graph_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph_build");
    group.sample_size(10);
    group.bench_function("sbm_100000_actors_degree_10", |b| {
        b.iter(|| sbm_scenario(100_000, 10.0, 1, 1))
    });
    group.finish();
}

criterion_group!(benches, one_round, full_run, graph_build);
criterion_main!(benches);
