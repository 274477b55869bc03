# collabgov: every text a user reads, in English. The same keys as id.ftl (a test checks).
# Project Fluent syntax (https://projectfluent.org/): { $name } is a value the program fills in.

## The classroom page

title = Collaborative governance, simulated
scenario = Scenario
upload = Or upload a scenario file (.toml)
uploaded = uploaded
settings = Settings
practices = Whole-of-Government practices
from_round = from round
compare_with = Compare with
compare_hint = Runs both on the same axes: the bundled scenario as it is written against the settings above.
run = Run
stop = Stop
hold = Pause
resume = Resume
step = One round
speed = Speed
speed_max = as fast as it runs
speed_value = { $n ->
    [one] { $n } round a second
   *[other] { $n } rounds a second
}
keys_hint = Keys: space runs, pauses and resumes; → shows one more round.
download_toml = Download scenario (TOML)
download_csv = Download results (CSV)
network_caption = The network of replicate 0, round by round: sectors as clusters, agencies as squares and non-state actors as circles, each relation's mutual trust as colour and width (orange low, grey middling, blue high).
play = Play
pause = Pause
round_label = Round
agency = agency
non_state = non-state actor
trust_low_high = trust: low → high
no_live_network = This forum is too large to animate on the page; `collabgov run` draws its network picture.
footer = Charts: mean over replicates (line) and the range of 95 % of them (band). uPlot (MIT licence):
silo = Siloisation
help_silo = Chance that a dialogue between two sectors is blocked (0: never, 1: always).
help_autonomy = Chance that a dialogue or request between two governments is refused: each goes its own way.
help_control = Political control: a dialogue between levels escapes autonomy with this chance, and the centre weighs more in it.
help_inclusiveness = Chance that each non-state actor takes part in a round (agencies always do).
help_leadership = Facilitative leadership: evens out power gaps and makes dialogue in good faith likelier.
help_ground_rules = Clear ground rules and transparency: dialogue in good faith is likelier.
help_legal_clarity = How clear the legal basis is: commitment cannot grow beyond it.
help_trust_across_start = Mean trust across sectors at the start (a history of conflict: low).
help_power_spread = How far the actors' power differs at the start (0: all equal).
help_rounds = Rounds of dialogue (meetings) in each run.
help_replicates = Runs of the same forum with other random draws; the band and the interval come from them.
help_seed = The random numbers' starting point: the same seed gives the same results.
help_coordinating_agency = A new agency related to every agency, trusted 0.7, from the given round.
help_task_force = Every sector's actors related, and no silo among them, from the given round.
help_social_coalition = Missing relations between non-state actors and agencies appear (chance 0.3).
help_merge = Every sector becomes one: no silo is left to block a dialogue.
help_one_door = Citizens file once at one agency, which asks the others by official assistance.
trust_vertical = Trust between levels of government
understanding_between_units = Shared understanding between regencies
units_in_consensus = Share of regencies in consensus
autonomy = Autonomy of each government
control = Central control
inclusiveness = Inclusiveness
leadership = Facilitative leadership
ground_rules = Ground rules, transparency
legal_clarity = Clarity of the legal basis
trust_across_start = Trust across sectors at the start
power_spread = Power asymmetry
rounds = Rounds
replicates = Replicates
seed = Seed
coordinating_agency = Coordinating agency
task_force = Task force (all sectors)
social_coalition = Social coalition
merge = Merger (all sectors)
one_door = One-door service
by_sector = By sector
by_sector_hint = Each sector's mean over replicates: which sectors the forum leaves behind.
group_trust = Trust its actors hold in their partners
group_participation = Share of its actors taking part
group_commitment = Commitment of its actors
trust_within = Trust within sectors
trust_across = Trust across sectors
commitment = Commitment to the process
understanding = Shared understanding
wins = Small wins (intermediate outcomes)
consensus_now = Share of replicates in consensus this round
service_time = Service time (rounds)
trips = Citizen's trips per request
round = round
mean = mean
band = 95 % band
running = Running { $name }: round { $round } of { $rounds }
failed = Not run: see the message under the scenario.
save_svg = Save SVG
save_png = Save PNG
handout = Handout to print
handout_wait = Preparing the handout: the runs go again, with the same seed…
handout_ready = The handout is open in a new tab: print it from there (A4).
inspect_hint = Click an actor to inspect it
inspect_agency = public agency
inspect_non_state = non-state actor
inspect_facts = { $kind }, sector { $sector }; power { $power }, commitment to the process { $commitment }.
inspect_trusts = { $n ->
    [one] Trust with its one partner:
   *[other] Trust with its { $n } partners, most trusted first:
}
round_n = round { $round }
changed_description = { $description } Changed on the classroom page: { $changes }.
error_round = expected a round from 1 to { $last }, found { $found }
share = Link to these settings
link_ready = The address bar now holds a link to these settings (copied where the browser allows): put it on a slide.
present = Presentation mode
queued = Waiting: other runs are using the machine…
done = Done.
stopped = Stopped.
consensus_reached = consensus reached in
consensus_figures = { $percent } % of { $replicates } replicates [{ $low } %, { $high } %]
median_round = , median round { $median }
error_prefix = The scenario was refused:
cli_summary = The summary, as `collabgov run` and `collabgov compare` print it
assess = Which practice helps most?
assessing = Assessing every practice against { $name }…
assess_title = Which practice helps most? Each practice from round { $round }, paired replicate by replicate with { $name } as set (as `collabgov assess` ranks them)
col_rank = Rank
col_practice = Practice
col_consensus = Consensus share
col_trust = Cross-sector trust
no_clear_effect = no clear effect
not_distinct = not distinguishable from the next
try_step = Set this up

## Run summaries: `collabgov run`, `compare`, the page's summary box, `report`

summary-consensus = consensus reached in { $figures }
summary-consensus-figures = { $percent } % of { $replicates } replicates [{ $low } %, { $high } %]
summary-median = , median round { $median }
summary-trust = final trust within sectors { $within }, across sectors { $across } (mean [95 % CI])
summary-cycle = final commitment { $commitment }, shared understanding { $understanding }, small wins { $wins }
summary-services = services at the last round: service time { $time } rounds, trips { $trips }, duplicate collections { $duplication }, backlog { $backlog } (mean [95 % CI])
summary-assistance = official assistance per round: { $granted } granted, { $refused } refused; mutual aid agreements { $agreements }
summary-levels = levels of government: trust within governments { $local }, between levels { $vertical }; understanding between regencies { $between }, regencies in consensus { $units } (mean [95 % CI])
summary-intervals = intervals: { $note }
summary-no-value = n/a
summary-no-interval = { $mean } [no interval]
interval-one-network = t interval over replicates, for one network draw (the network's own randomness is not covered)
interval-network-per-replicate = t interval over replicates, each on a network of its own (covers the network's and the dynamics' randomness)
interval-nested = t interval from { $draws } network draws (one-way random effects: between- and within-network variance)

## Bundled scenarios: a title and a description each (`collabgov scenarios`, the page)

scenario-default = A river-basin forum
scenario-default-description = A regional forum on river-basin pollution: four sectors, agencies and non-state actors, moderate siloisation.
scenario-siloed-government = Siloed government
scenario-siloed-government-description = Four sectors with their own framing and strong siloisation: cross-sector trust erodes, consensus is rare.
scenario-whole-of-government = Whole-of-Government
scenario-whole-of-government-description = The siloed start, then a coordinating agency, a cross-sector task force and a silo-lowering reform from round 30: it recovers.
scenario-conflict-prehistory = A history of conflict
scenario-conflict-prehistory-description = Low cross-sector trust from a history of conflict, weak facilitative leadership: trust stays low.
scenario-conflict-prehistory-facilitated = A history of conflict, facilitated
scenario-conflict-prehistory-facilitated-description = The same conflict prehistory with strong facilitative leadership: trust is rebuilt.
scenario-power-imbalance = Power imbalance
scenario-power-imbalance-description = Powerful agencies, weak non-state actors, weak leadership: the power gap sours dialogue.
scenario-power-imbalance-facilitated = Power imbalance, facilitated
scenario-power-imbalance-facilitated-description = The same power gap, evened out by strong facilitative leadership.
scenario-inclusive-forum-low = A forum that excludes
scenario-inclusive-forum-low-description = A forum that rarely includes non-state actors: their commitment fades, consensus is rare.
scenario-inclusive-forum-high = An inclusive forum
scenario-inclusive-forum-high-description = The same forum with every non-state actor taking part every round.
scenario-unclear-legal-basis = An unclear legal basis
scenario-unclear-legal-basis-description = An unclear legal basis caps commitment: trust grows, but the process stalls short of consensus.
scenario-services-siloed = Services: siloed counters
scenario-services-siloed-description = Siloed agencies, technical-functional service: the citizen carries each request from agency to agency.
scenario-services-one-door = Services: one door
scenario-services-one-door-description = The siloed forum with a one-door service from round 20: fewer trips and collections, but refusals send citizens back.
scenario-services-one-door-task-force = Services: one door and a task force
scenario-services-one-door-task-force-description = The one-door reform plus a task force of all sectors from round 20: refusals fall and service time with them.
scenario-services-electronic = Services: electronic
scenario-services-electronic-description = Electronic service with data-sharing agreements from round 20: almost no trips or duplicate collections, the shortest service time.
scenario-assistance-unclear-law = Official assistance under unclear law
scenario-assistance-unclear-law-description = One-door service under an unclear legal basis: most official assistance is refused for law.
scenario-assistance-mutual-aid = Official assistance with mutual aid
scenario-assistance-mutual-aid-description = The unclear-law forum with mutual aid agreements among all agencies from round 20: law refusals stop.
scenario-capacity-gap = A capacity gap
scenario-capacity-gap-description = A merger of a well-staffed and a poorly staffed sector: overload refusals at first, training raising capacity over time.
scenario-levels-devolved = Levels: devolved
scenario-levels-devolved-description = High autonomy, no control: regions agree inside but drift apart; the nation rarely reaches consensus.
scenario-levels-recentralised = Levels: recentralised
scenario-levels-recentralised-description = Low autonomy, high control: the power gap makes vertical dialogue unproductive and trust between levels falls.
scenario-levels-rebalanced = Levels: rebalanced
scenario-levels-rebalanced-description = The devolved forum with moderate control and national coordination from round 30: understanding between regions and consensus recover.
scenario-indonesia = Indonesia
scenario-indonesia-description = The whole country: the centre, 38 provinces and 514 regencies and cities, eight sectors, about 37,600 actors; high autonomy with some control.

## Sectors of the bundled scenarios (legends); a sector of a file of one's own keeps its name

sector-agriculture = agriculture
sector-coordination = coordination
sector-education = education
sector-environment = environment
sector-finance = finance
sector-health = health
sector-industry = industry
sector-investment = investment
sector-land = land
sector-licensing = licensing
sector-planning = planning
sector-population = population
sector-public-works = public works
sector-social-affairs = social affairs
sector-tax = tax
sector-village-affairs = village affairs

## The practices of `assess`'s default menu

and = and
practice-coordinating-agency = Coordinating agency
practice-task-force-weakest = Task force of { $sectors }
practice-task-force-all = Task force of every sector
practice-social-coalition = Social coalition
practice-merger = Merger of every sector
practice-leadership = Leadership raised to 0.9
practice-ground-rules = Clearer ground rules (0.9)
practice-legal-basis = Clearer legal basis (1)
practice-national-coordination = National coordination of every sector
practice-more-control = Rebalance: control raised to 0.4
practice-less-autonomy = Rebalance: autonomy halved to { $autonomy }

## Guided lessons: a title, then each step's task and question

lessons = Lessons
lesson_choice = Lesson
worksheet = Worksheet to print
worksheet-title = Worksheet: { $title }
worksheet-name = Name:
worksheet-group = Group:
worksheet-date = Date:
worksheet-intro = Open the simulation page on this lesson and go through it step by step: press each step's button, then Run. Write down the numbers and curves you see, then answer the question.
worksheet-step = Step { $n }
worksheet-seen = What we saw (numbers and curves):
worksheet-conclusion = Our conclusion: what would you change first in your own agency, and why?
worksheet-footer = Collaborative Governance Simulation (collabgov), this lesson: { $link }
lesson-silo-title = Why silos make collaboration fail
lesson-silo-1-task = Pick “siloed-government” and press Run.
lesson-silo-1-question = Which curves rise, and which stay low? Why does trust across sectors stall?
lesson-silo-2-task = A coordinating agency and a task force from round 30, compared with siloed-government: press Run.
lesson-silo-2-question = What changes at round 30, and how long until shared understanding follows?
lesson-silo-3-task = Siloisation lowered to 0.3 instead, compared with siloed-government: press Run.
lesson-silo-3-question = Which practice would help your own agency’s forum most, and what would it cost?
lesson-services-title = Public services: from siloed counters to one door
lesson-services-1-task = Run “services-siloed”: each agency serves only its own part of a request.
lesson-services-1-question = How many trips and how many rounds does a citizen need? Where does the time go?
lesson-services-2-task = A one-door service from round 20, compared with the siloed counters: press Run.
lesson-services-2-question = Which figures fall at once, and which do not? Why are requests still refused?
lesson-services-3-task = One door plus a task force of every sector, compared with one door alone: press Run.
lesson-services-3-question = What does the task force add that a single counter cannot?
lesson-assistance-title = Official assistance under an unclear law
lesson-assistance-1-task = Run “assistance-unclear-law”: agencies ask each other for help under a vague legal basis.
lesson-assistance-1-question = How much assistance is refused, and for which reason?
lesson-assistance-2-task = Mutual aid agreements from round 20, compared with the unclear law: press Run.
lesson-assistance-2-question = Which refusals stop, and what happens to service time?
lesson-assistance-3-task = The legal basis made fully clear instead, compared with the unclear law: press Run.
lesson-assistance-3-question = Is a clearer law or an agreement between agencies the better remedy here?
lesson-power-title = Power imbalance and facilitative leadership
lesson-power-1-task = Run “power-imbalance”: powerful agencies, weak non-state actors, weak leadership.
lesson-power-1-question = What happens to trust and commitment when one side dominates the table?
lesson-power-2-task = Strong facilitative leadership, compared with the imbalance: press Run.
lesson-power-2-question = What does a facilitator change, and how quickly?
lesson-power-3-task = Power evened out instead (spread 0.1), compared with the imbalance: press Run.
lesson-power-3-question = Which is more realistic in your forum: evening out power or facilitating it?
lesson-inclusion-title = Inclusiveness: who sits at the table
lesson-inclusion-1-task = Run “inclusive-forum-low”: non-state actors rarely take part.
lesson-inclusion-1-question = What happens to their commitment, and to consensus?
lesson-inclusion-2-task = Every non-state actor taking part every round, compared with the closed forum: press Run.
lesson-inclusion-2-question = How much does taking part alone change the outcome?
lesson-inclusion-3-task = A social coalition from round 30 on the closed forum, compared with it: press Run.
lesson-inclusion-3-question = Can new relations make up for taking part rarely?
lesson-levels-title = Levels of government: autonomy against control
lesson-levels-1-task = Run “levels-devolved”: high regional autonomy, no central control.
lesson-levels-1-question = Regions agree inside; why does the nation rarely reach consensus?
lesson-levels-2-task = Moderate control and national coordination from round 30, compared with devolution: press Run.
lesson-levels-2-question = What recovers first: trust between levels or understanding between regions?
lesson-levels-3-task = Recentralisation (low autonomy, high control), compared with devolution: press Run.
lesson-levels-3-question = Why does more control make dialogue between levels worse?

## Comparisons: `collabgov compare`, the page's summary box

compare-in = { $value } in { $name }
compare-ended = { $what } ended at { $values }.
compare-consensus = Consensus was reached in { $shares } of runs ({ $names } respectively).
compare-intervals = Intervals: 95 %, { $note }.
compare-intervals-of = Intervals of { $name }: 95 %, { $note }.
paired-not = { $first } and { $other } are not paired (different seeds, replicates or network draws): compare their intervals above.
paired-differences = Paired differences, { $other } minus { $first }, replicate by replicate ({ $pairs } pairs; { $intervals }): { $parts }.
paired-intervals = 95 % intervals: t over pairs, Newcombe's square-and-add for the consensus share
paired-consensus-share = consensus share
summary-metric-trust_within = Trust within sectors
summary-metric-trust_across = Cross-sector trust
summary-metric-commitment = Commitment to the process
summary-metric-understanding = Shared understanding
summary-metric-wins = Small wins
summary-metric-backlog = Open requests (backlog)
summary-metric-service_time = Service time
summary-metric-trips = Trips per request
summary-metric-duplication = Duplicate collections
summary-metric-cost = Cost per request
summary-metric-assistance_granted = Assistance granted per round
summary-metric-assistance_refused = Assistance refused per round
summary-metric-trust_vertical = Trust between levels
summary-metric-understanding_between_units = Understanding between regencies
summary-metric-units_in_consensus = Regencies in consensus

## Interventions as charts mark them (the core's labels; the English is what run.json says)
intervention-set = { $parameter } = { $value }
intervention-coordinating-agency = coordinating agency
intervention-merge = merge { $sectors }
intervention-mutual-aid = mutual aid { $name }
intervention-national-coordination = national coordination (+{ $relations } relations)
intervention-rebalance = rebalance ({ $parts })
intervention-rebalance-autonomy = autonomy { $value }
intervention-rebalance-control = control { $value }
intervention-rebalance-power = power by level
intervention-service-technical-functional = technical-functional service
intervention-service-one-roof = one-roof service
intervention-service-one-door = one-door service
intervention-service-centralised = centralised service
intervention-service-electronic = electronic service
intervention-social-coalition = social coalition (+{ $relations } relations)
intervention-task-force = task force { $who } (rounds { $from }-{ $until })
intervention-task-force-governments = task force of { $who } governments (rounds { $from }-{ $until })
intervention-task-force-many = task force of { $who } sectors (rounds { $from }-{ $until })
intervention-union = union { $sectors }
intervention-union-governments = union of { $count } governments

## The line `collabgov run` prints first
run-header = collabgov { $version }: { $name } ({ $origin }), { $replicates } replicates x { $rounds } rounds, seed { $seed }, { $actors } actors, { $relations }, { $threads } threads, { $seconds } s
## A scenario in words (collabgov report, the handout)
describe-relations = { $start } relations
describe-relations-added = { $start } relations at the start, { $added } more added by interventions
describe-draws = {" "}(replicate 0's network; { $draws } network draws in all)
describe-actors = { $actors } actors ({ $agencies } public agencies, { $nonstate } non-state actors) in { $count } sectors: { $sectors }; { $relations }{ $draws }.
describe-design = Siloisation { $silo } (the chance a cross-sector dialogue is blocked), inclusiveness { $inclusiveness }, facilitative leadership { $leadership }, ground rules { $rules }, clarity of the legal basis { $legal }.
describe-size = { $rounds } rounds of face-to-face dialogue, { $replicates } replicates (independent simulated forums), master seed { $seed }.
describe-services = With public services and official assistance (the CG-2 extension).
describe-intervention = From round { $round }: { $label }.
## Ansell & Gash's six criteria (the English as collabgov validate words them)
criterion-1 = 1. The forum is initiated by public agencies or institutions
criterion-2 = 2. Participants include non-state actors
criterion-3 = 3. Participants engage directly in decision making, not only consulted
criterion-4 = 4. The forum is formally organised and meets collectively
criterion-5 = 5. The forum aims to decide by consensus
criterion-6 = 6. The focus is public policy or public management

## Charts' words (the network picture and the handout's charts)
chart-network-title = { $scenario }: trust network of replicate 0
chart-network-sampled = {" "}Showing every { $step }th of { $relations } relations.
chart-network-note = Relation colour and width: mutual trust (orange = low, grey = middling, blue = high). Actor colour: sector. Named actors are labelled.{ $sampled }
chart-network-start = Round 0 (start)
chart-network-end = Round { $round }
chart-network-agency = agency
chart-network-non-state = non-state actor
chart-network-trust = trust 0

chart-round = Round

## The handout (collabgov report --handout, the page's handout button)
based-on = Based on "{ $title }": { $description }
chart-cycle-title = { $names }: the collaborative-governance cycle
chart-cycle-caption = Mean of { $replicates } replicates (line) and 2.5-97.5 % of them (band; consensus: Wilson 95 % CI). Vertical lines: interventions.
chart-cycle-consensus = Share of replicates in consensus
chart-cycle-share = share of replicates
chart-cycle-level = level (0 to 1)
handout-title-compare = Comparison: { $names }
handout-lead-compare = { $count } scenarios run with the same seed and compared replicate by replicate.
handout-scenario = The scenario
handout-results = Results
handout-chart = Over the rounds
handout-network = The network
handout-criteria = Is it collaborative governance? Ansell & Gash's six criteria
handout-criterion = criterion
handout-met = met
handout-yes = yes
handout-no = no
handout-provenance = collabgov { $version }, { $model }; seed { $seed }, { $replicates } replicates of { $rounds } rounds; scenario fingerprint { $fingerprint }. The same scenario and seed give the same numbers.
handout-not-rebuilt = The scenario could not be rebuilt from its manifest (a file it names has moved).

## The glossary panel: each term and what it means
glossary = Glossary
glossary-collaborative-governance = Collaborative governance
glossary-collaborative-governance-text = Public agencies engage non-state actors directly in a formal, consensus-oriented, deliberative process to make or carry out public policy (Ansell & Gash).
glossary-dialogue = Face-to-face dialogue
glossary-dialogue-text = Each round, pairs of actors meet; a dialogue builds or breaks the trust between them.
glossary-trust = Trust
glossary-trust-text = How far one actor expects the other to act in good faith, from 0 (none) to 1 (full); within a sector or across sectors.
glossary-commitment = Commitment to the process
glossary-commitment-text = How far an actor holds to the forum and its outcome, from 0 to 1; it grows with trust and small wins.
glossary-understanding = Shared understanding
glossary-understanding-text = How close the actors' views of the problem are, from 0 to 1.
glossary-wins = Intermediate outcomes (small wins)
glossary-wins-text = Results the forum produces along the way; they feed trust and commitment.
glossary-consensus = Consensus
glossary-consensus-text = Shared understanding and commitment both pass their thresholds; a replicate that reaches it counts in the share of replicates in consensus.
glossary-silo = Siloisation
glossary-silo-text = The chance that a dialogue between two sectors is blocked: government cut into sectoral silos.
glossary-wog = Whole-of-Government
glossary-wog-text = Agencies working across their portfolio boundaries to a shared goal: a coordinating agency, a task force, a social coalition, a merger.
glossary-one-door = One-door service
glossary-one-door-text = A citizen applies once, at one agency, which asks the others through official assistance.
glossary-assistance = Official assistance
glossary-assistance-text = One agency's help to another (Law 30/2014); it may be refused when it hurts the giver's work, is confidential, or the law does not allow it.
glossary-replicate = Replicate
glossary-replicate-text = One simulated forum; the many replicates of a run differ only by chance, so their spread shows what chance alone does.
glossary-seed = Random seed
glossary-seed-text = The starting point of the random numbers: the same seed gives the same numbers, on any computer.
glossary-interval = 95 % confidence interval
glossary-interval-text = The range that holds the true mean (or share) in 95 of 100 such runs: [12 %, 22 %] means the share lies between 12 % and 22 %.
