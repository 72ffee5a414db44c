/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Where to pay (FEP-0ea0 links): an Open Collective page, a Liberapay page, a payto: URI.
 *
 * @maxItems 10
 */
export type PaymentLinks =
  | []
  | [
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]
  | [
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      },
      {
        name?: string
        href: string
      }
    ]

/**
 * Body of POST /api/v1/coops/:username/pools: opens a funding pool stewarded by the co-op.
 */
export interface PoolCreateRequest {
  name: string
  summary?: string
  /**
   * A page about the pool; defaults to the pool's own id.
   */
  url?: string
  beneficiary: Beneficiary
  goal: Goal
  /**
   * How often the goal recurs.
   */
  period: 'once' | 'monthly' | 'yearly'
  /**
   * Pledges are refused after this time.
   */
  deadline?: string
  paymentLinks?: PaymentLinks
  /**
   * automatic: valid pledges are accepted at once; approval: they wait for the steward.
   */
  pledgePolicy?: 'automatic' | 'approval'
}
export interface Beneficiary {
  name: string
  url: string
}
/**
 * The amount sought: value as a decimal string with no more decimals than the currency has.
 */
export interface Goal {
  /**
   * A decimal string: digits, optionally a point and up to 4 decimals; never a JSON number, a sign or an exponent.
   */
  value: string
  /**
   * ISO 4217 alphabetic code, in capitals.
   */
  currency: string
}
