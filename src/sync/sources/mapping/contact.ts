/** Contact details: a person's e-mail address is never kept, only role mailboxes and contact pages. */
import { isRoleAddress } from '../../../domain/directory/publishable-contact'
import { httpUrl } from './web'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The contact to keep: a role address (info@, contact@ …) and/or a contact page; undefined when neither. */
export function contact (email: unknown, url: unknown): { email?: string, url?: string } | undefined {
  const result: { email?: string, url?: string } = {}
  const address = typeof email === 'string' ? email.trim().replace(/^mailto:/i, '') : ''
  if (EMAIL.test(address) && isRoleAddress(address)) result.email = address.toLowerCase()
  const page = httpUrl(url)
  if (page) result.url = page
  return result.email || result.url ? result : undefined
}
