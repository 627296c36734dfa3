/** Word lists of the goal grammar. None of these is ever taken as an object name or a namespace. */

const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

/** Words the slot grammar itself consumes or that frame a request. */
export const GRAMMAR_WORDS = words(`
  lines line replica replicas revision since last past tail minutes hours seconds suffix flux helm timeout
  roll back down up make mark sorted sort time again all with keeps keep looping exist exists happened recently
  latest newest oldest everything info information state current new old most least has have having going
  kubectl k maintenance please quickly now today sync label labels labelled labeled selector contents rollout rollouts wait
  highest lowest biggest heaviest usage use uses using eat eats eating busy consuming hogs hogging much many
  pending succeeded failed unknown set put back scheduling onto previous prev
  running ready version versions rev changed change changes yet anything something going on
`);

/** Everyday verbs around an operation ("check", "force flux to sync", "so it picks up"): never object names. */
export const FRAME_VERBS = words(`
  check checking go going trigger force forcing pick picks picked fetch grab give tell find need needs want wants
  run runs let see look looking help try make makes ensure verify confirm do does get gets got bring brings take
  start starts keep kept leave note notify ping open print display
`);

/** Ordinary words that sit where a name or namespace could ("uncordon worker-3 after maintenance"). */
export const FILLER_WORDS = words(`
  after before during until that this these those is are was were be the a an my our your their its it them
  every each all any some both everything everyone anything whatever whole entire
  zero none nothing one ones thing things stuff
  application applications workload workloads object objects resource resources
  please thanks ok okay yes no not also just then there here
  urgent urgently asap immediately fast quick soon tonight kernel upgrade upgrading reboot patching
  lately recent recently currently still actually really honestly basically literally
  what whats which who why how when where
  once done finished complete completed
  away over under into of on off out
  cluster kubernetes k8s
  someone anyone somebody anybody everybody him her he she they we us you u ur me i team guys folks
  notready oomkilled evicted terminating containercreating
`);

/** Words that speak about many objects at once. */
export const QUANTIFIERS = words("every each all everything any both entire whole");

/** Words that follow "in" without naming a namespace ("in crashloop", "in the logs"). */
export const NOT_A_NAMESPACE = /^(crashloop\w*|crash|pending|error|errors|trouble|maintenance|order|time|the|a|an|last|past|logs?|production|service|use|progress|it|there|here|general|total|parallel|case|full|detail|details|yaml|json|wide)$/i;
