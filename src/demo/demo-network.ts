/**
 * The network `npm run demo` builds: an umbrella hub hosting three small co-ops, two hubs with a
 * co-op each, their services, a funding pool with pledges from the other two hubs, and an
 * agreement between three co-ops on three hubs. Plain data; demo.ts makes it real through the
 * hubs' own API, as an admin would.
 */

/** A co-op to register, with the services it lists. */
export interface DemoCoop {
  username: string
  profile: Record<string, unknown>
  services: Record<string, Record<string, unknown>>
}

/** One hub of the demo and the co-ops it hosts. */
export interface DemoHub {
  name: string
  coops: DemoCoop[]
}

export const DEMO_HUBS: readonly DemoHub[] = [
  {
    name: 'Commons Umbrella',
    coops: [
      {
        username: 'riverside',
        profile: { name: 'Riverside Cloud Co-op', summary: 'Files, calendars and mail for the co-operatives of the river valley; steward of the umbrella\'s shared projects', url: 'https://riverside.example', location: { name: 'Ghent, Belgium', country: 'BE', latitude: 51.05, longitude: 3.72 }, languages: ['nl', 'en'] },
        services: {
          files: { name: 'Riverside Files', category: 'file-hosting', software: 'Nextcloud', url: 'https://files.riverside.example', access: 'members', acceptingMembers: true, dataLocation: 'BE' },
          desk: { name: 'Riverside Helpdesk', category: 'helpdesk', software: 'Zammad', url: 'https://desk.riverside.example', access: 'agreement', dataLocation: 'BE' }
        }
      },
      {
        username: 'hilltop',
        profile: { name: 'Hilltop Commons', summary: 'Read-later and feeds for a rural library network', url: 'https://hilltop.example', location: { name: 'Graz, Austria', country: 'AT', latitude: 47.07, longitude: 15.44 }, languages: ['de'] },
        services: {
          read: { name: 'Hilltop Reader', category: 'read-later', software: 'Wallabag', url: 'https://read.hilltop.example', access: 'public', acceptingMembers: true, dataLocation: 'AT' },
          feeds: { name: 'Hilltop Feeds', category: 'feeds', software: 'Tiny Tiny RSS', url: 'https://feeds.hilltop.example', access: 'members', dataLocation: 'AT' }
        }
      },
      {
        username: 'meadow',
        profile: { name: 'Meadow Decisions', summary: 'Loomio for housing co-ops', url: 'https://meadow.example', location: { name: 'Bologna, Italy', country: 'IT', latitude: 44.49, longitude: 11.34 }, languages: ['it', 'en'] },
        services: {
          vote: { name: 'Meadow Loomio', category: 'decisions', software: 'Loomio', url: 'https://vote.meadow.example', access: 'members', acceptingMembers: true, dataLocation: 'IT' }
        }
      }
    ]
  },
  {
    name: 'Harbour Hub',
    coops: [{
      username: 'harbour',
      profile: { name: 'Harbour Hosting Co-operative', summary: 'Green web hosting owned by its workers and users', url: 'https://harbour.example', location: { name: 'Porto, Portugal', country: 'PT', latitude: 41.15, longitude: -8.61 }, languages: ['pt', 'en'] },
      services: {
        web: { name: 'Harbour Web Hosting', category: 'web-hosting', software: 'Apache', url: 'https://web.harbour.example', access: 'public', acceptingMembers: true, dataLocation: 'PT' },
        mail: { name: 'Harbour Mail', category: 'email', software: 'Dovecot', url: 'https://mail.harbour.example', access: 'agreement', dataLocation: 'PT' }
      }
    }]
  },
  {
    name: 'Lantern Hub',
    coops: [{
      username: 'lantern',
      profile: { name: 'Lantern Video Collective', summary: 'Video meetings and chat for unions', url: 'https://lantern.example', location: { name: 'Tampere, Finland', country: 'FI', latitude: 61.5, longitude: 23.76 }, languages: ['fi', 'sv', 'en'] },
      services: {
        meet: { name: 'Lantern Meet', category: 'video', software: 'Jitsi', url: 'https://meet.lantern.example', access: 'agreement', acceptingMembers: true, dataLocation: 'FI' },
        chat: { name: 'Lantern Chat', category: 'chat', software: 'Matrix', url: 'https://chat.lantern.example', access: 'members', dataLocation: 'FI' }
      }
    }]
  }
]

/** The steward's pool, and the pledges the co-ops of the other two hubs make to it. */
export const DEMO_POOL = {
  steward: 'riverside',
  body: {
    name: 'Nextcloud accessibility fund', summary: 'Screen-reader fixes in the Files app, contributed upstream',
    beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' }, goal: { value: '1500.00', currency: 'EUR' }, period: 'once',
    paymentLinks: [{ name: 'Open Collective', href: 'https://opencollective.com/example' }]
  },
  pledges: [
    { coop: 'harbour', amount: { value: '600.00', currency: 'EUR' }, fulfil: true },
    { coop: 'lantern', amount: { value: '350.00', currency: 'EUR' }, fulfil: false }
  ]
} as const

/** The member-exchange agreement the steward offers to the co-ops of the other two hubs. */
export const DEMO_AGREEMENT = {
  proposer: 'riverside',
  parties: ['harbour', 'lantern'],
  name: 'River, harbour and lantern exchange',
  terms: 'Members of each co-op may use the listed services of the others, within the quotas named.',
  /** [co-op, service key, quota] */
  services: [['riverside', 'desk', 50], ['harbour', 'mail', 100], ['lantern', 'meet', 20]] as const
}
