/**
 * How software is spelled for people. The directory's software facet matches on a lower-cased
 * key ("peertube") so that "PeerTube" and "Peertube" count as one; its labels use the spelling
 * of the project itself.
 */
const SPELLING: Record<string, string> = Object.fromEntries([
  'Nextcloud', 'ownCloud', 'PeerTube', 'Mastodon', 'Pixelfed', 'Funkwhale', 'Forgejo', 'Gitea', 'GitLab', 'Lemmy',
  'Misskey', 'Akkoma', 'Pleroma', 'GoToSocial', 'Friendica', 'diaspora*', 'Mobilizon', 'Wallabag', 'Etherpad',
  'HedgeDoc', 'CodiMD', 'CryptPad', 'Collabora Online', 'ONLYOFFICE', 'EtherCalc', 'Jitsi Meet', 'Jitsi', 'BigBlueButton',
  'Galène', 'Mattermost', 'Rocket.Chat', 'Matrix', 'Synapse', 'Element', 'Prosody', 'ejabberd', 'Zulip', 'Framadate',
  'Rallly', 'FreshRSS', 'Miniflux', 'Tiny Tiny RSS', 'Loomio', 'Decidim', 'Roundcube', 'SnappyMail', 'RainLoop', 'SOGo',
  'WordPress', 'Grav', 'Hugo', 'PrivateBin', 'ZeroBin', 'Lufi', 'Jirafeau', 'PsiTransfer', 'Seafile', 'Pydio', 'YOURLS',
  'Polr', 'Lstu', 'Nitter', 'Invidious', 'SearXNG', 'Searx', 'Zammad', 'osTicket', 'Discourse', 'Kanboard', 'Wekan',
  'Dolibarr', 'Odoo', 'LimeSurvey', 'Paheko', 'Garradin', 'Bitwarden', 'Vaultwarden', 'Jellyfin', 'Navidrome'
].map(name => [name.toLowerCase(), name]))

/** The display name of a software facet key: the project's own spelling, else each word capitalised. */
export function softwareDisplayName (key: string): string {
  return SPELLING[key.trim().toLowerCase()] ?? key.replace(/(^|[\s-])(\p{Ll})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase())
}
