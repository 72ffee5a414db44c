/** A service category slug from the software's name, for sources that name software but no category. */

const CATEGORIES: Array<[RegExp, string]> = [
  [/nextcloud|owncloud|seafile|pydio/, 'file-hosting'],
  [/lufi|jirafeau|send\b|psitransfer/, 'file-sharing'],
  [/etherpad|hedgedoc|codimd/, 'pad'],
  [/cryptpad|collabora|onlyoffice|ethercalc/, 'office'],
  [/jitsi|bigbluebutton|galene/, 'video-calls'],
  [/peertube/, 'video'],
  [/mastodon|pleroma|akkoma|misskey|gotosocial|diaspora|friendica/, 'social'],
  [/mattermost|rocket\.?chat|matrix|synapse|element|xmpp|prosody|ejabberd|zulip/, 'chat'],
  [/framadate|rallly/, 'polls'],
  [/wallabag/, 'read-later'],
  [/tiny ?tiny ?rss|ttrss|freshrss|miniflux/, 'feeds'],
  [/loomio|decidim/, 'decisions'],
  [/gitea|forgejo|gitlab/, 'code-hosting'],
  [/roundcube|rainloop|snappymail|sogo|postfix|dovecot/, 'email'],
  [/wordpress|grav|hugo/, 'web-hosting'],
  [/privatebin|zerobin/, 'pastebin'],
  [/lstu|yourls|polr/, 'link-shortener'],
  [/mobilizon/, 'events'],
  [/nitter|invidious|searx/, 'frontend'],
  [/zammad|osticket|request tracker/, 'helpdesk']
]

/** The category of a piece of software, or `other`. */
export function categoryOfSoftware (name: string | undefined): string {
  if (!name) return 'other'
  const lower = name.toLowerCase()
  return CATEGORIES.find(([pattern]) => pattern.test(lower))?.[1] ?? 'other'
}
