import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns'
import { BlockList, isIP } from 'node:net'

/** Where a webhook may be sent: the configuration's two switches. */
export interface TargetPolicy {
  allowHttp: boolean
  allowPrivate: boolean
}

/**
 * Addresses a webhook must not reach unless OMBUDS_WEBHOOKS_ALLOW_PRIVATE is set: private,
 * loopback, link-local (cloud metadata lives there), shared (CGNAT), unspecified, multicast
 * and reserved ranges, in both families. A customer-chosen URL must not become a way into
 * the network Ombuds runs in.
 */
const REFUSED = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]
] as const) REFUSED.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]
] as const) REFUSED.addSubnet(network, prefix, 'ipv6')

/** Whether an IP address (either family, IPv4-mapped IPv6 included) is one a webhook must not reach. */
function isRefusedAddress (address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped !== undefined) return REFUSED.check(mapped, 'ipv4')
  const family = isIP(address)
  if (family === 0) return true
  return REFUSED.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** The URL's host without IPv6 brackets. */
function hostOf (url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

/**
 * Why a URL cannot be an endpoint, or null when it can: https only (http when allowed), no
 * credentials, and no private target named by address or as localhost. Names are resolved
 * and checked again on every delivery (`guardedLookup`), which also covers a name that
 * changes what it points to.
 */
export function targetProblem (text: string, policy: TargetPolicy): string | null {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    return policy.allowHttp ? 'must be an http:// or https:// URL' : 'must be an https:// URL'
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials'
  if (url.hash !== '') return 'must not have a fragment'
  if (policy.allowPrivate) return null
  const host = hostOf(url).toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point to a private, loopback or link-local address'
  if (isIP(host) !== 0 && isRefusedAddress(host)) return 'must not point to a private, loopback or link-local address'
  return null
}

/** A refused target met at send time. */
class RefusedTarget extends Error {
  override readonly name = 'RefusedTarget'
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/**
 * A `lookup` for http(s).request that resolves the name and refuses it when any of its
 * addresses is one a webhook must not reach: the connection goes to an address just checked.
 */
export function guardedLookup (allowPrivate: boolean) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, [])
        return
      }
      const refused = allowPrivate ? undefined : addresses.find((entry) => isRefusedAddress(entry.address))
      if (refused !== undefined) {
        callback(new RefusedTarget(`${hostname} resolves to ${refused.address}, a private, loopback or link-local address`), [])
        return
      }
      if (options.all === true) callback(null, addresses)
      else {
        const first = addresses[0]
        if (first === undefined) callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
        else callback(null, first.address, first.family)
      }
    })
  }
}

/** Whether an IP-literal URL host is refused (Node does not call `lookup` for addresses). */
export function refusedLiteral (url: URL, allowPrivate: boolean): boolean {
  const host = hostOf(url)
  return !allowPrivate && isIP(host) !== 0 && isRefusedAddress(host)
}
