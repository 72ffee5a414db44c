import { amountProblem, currencyExponent, formatMoney, toMoney, totalsByCurrency } from '../../src/domain/money'

describe('money', () => {
  it('knows each ISO 4217 currency\'s decimals and refuses non-money codes', () => {
    expect(currencyExponent('EUR')).toBe(2)
    expect(currencyExponent('JPY')).toBe(0)
    expect(currencyExponent('BHD')).toBe(3)
    expect(currencyExponent('eur')).toBeNull()
    expect(currencyExponent('XAU')).toBeNull()
    expect(currencyExponent('XXX')).toBeNull()
    expect(currencyExponent('ABC')).toBeNull()
  })

  it.each([
    [{ currency: 'EUR', value: '12.50' }, null],
    [{ currency: 'EUR', value: '12' }, null],
    [{ currency: 'JPY', value: '1200' }, null],
    [{ currency: 'BHD', value: '1.125' }, null],
    [{ currency: 'EUR', value: '0.001' }, 'EUR has 2 decimals'],
    [{ currency: 'JPY', value: '1.5' }, 'JPY has no decimals'],
    [{ currency: 'EUR', value: '1e3' }, 'not a plain decimal'],
    [{ currency: 'EUR', value: '-5.00' }, 'not a plain decimal'],
    [{ currency: 'EUR', value: '0.00' }, 'greater than zero'],
    [{ currency: 'EUR', value: ' 5' }, 'not a plain decimal'],
    [{ currency: 'EUR', value: 5 }, 'decimal string'],
    [{ currency: 'ZZZ', value: '5' }, 'not an ISO 4217'],
    [{ value: '5' }, 'ISO 4217 code']
  ])('amountProblem(%j)', (amount, expected) => {
    const problem = amountProblem(amount)
    if (expected === null) expect(problem).toBeNull()
    else expect(problem).toContain(expected)
  })

  it('adds exactly where binary floating point would not', () => {
    const amounts = ['0.10', '0.20', '0.30'].map(value => toMoney({ currency: 'EUR', value }))
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6)
    expect(totalsByCurrency(amounts)).toEqual([{ type: 'MonetaryAmount', currency: 'EUR', value: '0.60' }])
  })

  it('keeps totals per currency, never converting, and shows requested currencies at zero', () => {
    const amounts = [toMoney({ currency: 'EUR', value: '1' }), toMoney({ currency: 'JPY', value: '300' }), toMoney({ currency: 'EUR', value: '2.5' })]
    expect(totalsByCurrency(amounts, ['CHF']).map(t => `${t.value} ${t.currency}`)).toEqual(['0.00 CHF', '3.50 EUR', '300 JPY'])
  })

  it('formats minor units with the currency\'s decimals, large values included', () => {
    expect(formatMoney({ currency: 'EUR', minor: 5n }).value).toBe('0.05')
    expect(formatMoney({ currency: 'BHD', minor: 1234567n }).value).toBe('1234.567')
    expect(formatMoney({ currency: 'EUR', minor: 99999999999999999999n }).value).toBe('999999999999999999.99')
  })
})
