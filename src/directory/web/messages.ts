/**
 * Every word the directory pages show, in one place for translation. A translation is another
 * object of the same shape (`Messages`); `{name}` marks a value filled in by `format`. Country
 * and language names come from the platform (Intl.DisplayNames) in the page's language.
 */
export const EN = {
  lang: 'en',
  siteTagline: 'A directory of co-operative clouds',
  skipToContent: 'Skip to the main content',
  navLabel: 'Main',
  nav: { directory: 'Directory', umbrellas: 'Umbrellas', pools: 'Funding pools', network: 'Network', map: 'Map' },
  footer: {
    feeds: 'Machine-readable: {feed} (the whole directory), the {api}, and a Murmurations profile for each co-op of this hub.',
    feedLink: 'directory feed',
    apiLink: 'JSON API'
  },
  home: {
    title: 'Find a co-operative cloud',
    intro: 'Co-operatives and community organisations that host libre cloud services for their members: this hub\'s own co-ops, the co-ops of sibling hubs it follows, and entries imported from other directories.',
    searchLabel: 'Search',
    formLabel: 'Search the directory',
    searchHint: 'Names, descriptions, tags and services, e.g. hosting, Nextcloud, email.',
    filters: 'Filters',
    any: 'Any',
    sortLabel: 'Order',
    submit: 'Search',
    clear: 'Clear search and filters',
    results: { zero: 'No clouds match.', one: '1 cloud matches.', other: '{count} clouds match.' },
    resultsHeading: 'Results',
    activeFilters: 'Active filters',
    removeFilter: 'Remove filter {label}: {value}',
    nextPage: 'Next page',
    firstPage: 'First page',
    pagination: 'Pages of results',
    noSummary: 'No description given.',
    servicesCount: { zero: 'no services listed', one: '1 service', other: '{count} services' }
  },
  sorts: { relevance: 'Best match', name: 'Name (A to Z)', updated: 'Recently updated' },
  facets: {
    category: 'Service', software: 'Software', access: 'Access', accepting: 'Taking new members', country: 'Country',
    language: 'Language', status: 'Status', kind: 'Kind', source: 'Source'
  },
  values: {
    access: { public: 'Open to anyone', members: 'Members only', agreement: 'Members and partner co-ops' },
    accepting: { yes: 'Yes', no: 'Not at the moment' },
    status: { active: 'Active', planned: 'Planned', paused: 'Paused', closed: 'Closed' },
    kind: { 'coop-cloud': 'Co-op cloud', imported: 'Imported entry' },
    sourceKind: { local: 'this hub', federated: 'a followed hub', imported: 'an imported directory' },
    serviceStatus: { operational: 'Operational', degraded: 'Degraded', down: 'Down', retired: 'Retired', unknown: 'Not checked yet' },
    agreementStatus: { proposed: 'Proposed', active: 'Active', rejected: 'Rejected', terminated: 'Terminated', expired: 'Expired' } as Record<string, string>,
    legalForm: { cooperative: 'Co-operative', nonprofit: 'Nonprofit', association: 'Association', company: 'Company', informal: 'Informal group', other: 'Other' },
    category: {
      'file-hosting': 'File hosting', 'web-hosting': 'Web hosting', email: 'E-mail', chat: 'Chat', office: 'Office documents',
      calendar: 'Calendar', 'read-later': 'Read later', feeds: 'News feeds', video: 'Video', forms: 'Forms', decisions: 'Decisions', helpdesk: 'Helpdesk'
    } as Record<string, string>
  },
  entry: {
    profile: 'Profile',
    website: 'Website',
    location: 'Location',
    country: 'Country',
    languages: 'Languages',
    legalForm: 'Legal form',
    memberClasses: 'Members',
    status: 'Status',
    kind: 'Kind',
    tags: 'Tags',
    fediverse: 'Follow on the fediverse',
    murmurations: 'Murmurations profile',
    services: 'Services',
    servicesCaption: 'Services {name} hosts, with their latest status',
    noServices: 'No services listed yet.',
    serviceColumns: { name: 'Service', category: 'Kind', software: 'Software', access: 'Who may use it', accepting: 'Taking new members', status: 'Status', listedBy: 'Listed by' },
    checkedAt: 'checked {date}',
    listedBy: '{source} ({kind})',
    pools: 'Funding pools',
    noPools: 'No funding pools.',
    agreements: 'Member-exchange agreements',
    noAgreements: 'No agreements.',
    partners: 'Partners',
    since: 'since {date}',
    until: 'until {date}',
    sources: 'Where this entry comes from',
    sourceLine: '{source} ({kind}), retrieved {date}',
    unknownPartner: 'a co-op not in this directory'
  },
  pools: {
    title: 'Funding pools',
    intro: 'Money co-ops pledge together towards upstream work they all depend on, closest to its goal first.',
    none: 'There are no open funding pools yet.',
    steward: 'Stewarded by {name}',
    beneficiary: 'For {name}',
    deadline: 'Closes {date}',
    pledged: 'Pledged: {amount} of {goal} ({percent}%)',
    received: 'Received: {amount} of {goal} ({percent}%)',
    asOf: 'Copied from {host}, as of {date}',
    status: { open: 'Open', funded: 'Funded', closed: 'Closed', cancelled: 'Cancelled' } as Record<string, string>
  },
  network: {
    title: 'The network',
    intro: 'Co-op clouds of this directory, joined by a line for each active member-exchange agreement between them.',
    pictureLabel: 'Co-op clouds and the agreements between them',
    listHeading: 'Active agreements',
    none: 'There are no active agreements between the co-ops in this directory yet.',
    between: '{name}: {parties}',
    partners: 'active agreements with {names}',
    noPartners: 'no active agreement'
  },
  map: {
    title: 'Map',
    intro: 'Every entry whose location is known. Each point is a link to its entry.',
    pictureLabel: 'World map with {count} located entries',
    legendCoop: 'Co-op cloud',
    legendImported: 'Imported entry',
    unlocated: '{count} entries have no location and are not on the map.'
  },
  umbrellas: {
    title: 'Umbrella organisations',
    intro: 'Co-ops of several hubs that share projects and take decisions together. These umbrellas live on this hub.',
    none: 'There are no umbrella organisations on this hub yet.',
    members: { zero: 'No members yet', one: '1 member co-op', other: '{count} member co-ops' }
  },
  umbrella: {
    badge: 'Umbrella organisation',
    profile: 'About',
    website: 'Website',
    fediverse: 'Follow on the fediverse',
    policyLabel: 'How co-ops join',
    policy: { open: 'Open: any co-op that asks becomes a member', approval: 'By approval of the umbrella', vote: 'By a vote of the members' },
    members: 'Members',
    membersCount: { zero: 'No member co-ops yet.', one: '1 member co-op.', other: '{count} member co-ops.' },
    memberLine: '{hub}, member since {date}',
    mapLabel: 'World map with {count} located members of {name}',
    unlocated: { zero: '', one: '1 member has no location and is not on the map.', other: '{count} members have no location and are not on the map.' },
    projects: 'Shared projects',
    noProjects: 'No shared projects yet.',
    upstream: 'Upstream: {name}',
    approved: 'Approved by the members',
    fundedBy: 'Funded by',
    milestones: 'Milestones',
    due: 'due {date}',
    milestoneStatus: { planned: 'Planned', active: 'In progress', done: 'Done' } as Record<string, string>,
    committed: 'Committed',
    noCommitments: 'No commitments yet.',
    hoursHeading: 'Developer hours: {total} in all',
    moneyHeading: 'Money in {currency}: {total} in all',
    hours: '{hours} hours',
    share: '{name}: {amount} ({percent}% of the total)',
    allocated: 'Allocated by decisions: {amounts}',
    openDecisions: 'Open decisions',
    noOpenDecisions: 'No decisions are open.',
    pastDecisions: 'Past decisions',
    noPastDecisions: 'No decisions have closed yet.',
    closes: 'Voting closes {date}',
    closedOn: 'Closed {date}',
    rule: { majority: 'Majority', consensus: 'Consensus (a block stops it)' } as Record<string, string>,
    quorum: 'quorum {percent}% of members',
    voters: '{voters} of {members} member co-ops voted',
    tallyLabel: 'Votes on: {question}',
    optionLine: '{option}: {votes} ({percent}%)',
    votes: { zero: 'no votes', one: '1 vote', other: '{count} votes' },
    ifPassed: 'If it passes: {action}',
    actionTaken: 'Action: {action} ({result})',
    decisionStatus: { open: 'Open', passed: 'Passed', failed: 'Not passed', 'no-quorum': 'No quorum' } as Record<string, string>,
    action: {
      admit: 'admit {name} as a member',
      remove: 'remove {name} from the members',
      approve: 'approve the project {name}',
      allocate: 'allocate {amount} from {pool} to {project}'
    }
  },
  errors: {
    notFoundTitle: 'Not found',
    noPage: 'There is no page at {path} on this hub.',
    badRequestTitle: 'That search cannot be run',
    back: 'Back to the directory'
  }
}

export type Messages = typeof EN

/** Fills `{name}` placeholders; unknown names are left as they are. */
export function format (template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => name in values ? String(values[name]) : whole)
}

/** Picks the zero / one / other form of a counted message. */
export function plural (forms: { zero: string, one: string, other: string }, count: number): string {
  return format(count === 0 ? forms.zero : count === 1 ? forms.one : forms.other, { count })
}
