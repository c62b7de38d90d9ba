import { Temporal } from '../calendar.js';

export type ReceiptDayError =
  | { code: 'RECEIVED_ON_IN_FUTURE'; message: string; latest: string }
  | { code: 'RECEIVED_BEFORE_ISSUED'; message: string; earliest: string };

/**
 * The day a parcel or product was received, which starts the service commitment: today by default, or an
 * earlier day the technician gives (it arrived yesterday and is unpacked today). Never after today and
 * never before the order was issued, both in the center's calendar: a clock cannot start before there
 * was an order, nor on a day that has not come.
 */
export function receiptDay(input: {
  requested?: Temporal.PlainDate | undefined;
  today: Temporal.PlainDate;
  issuedOn: Temporal.PlainDate;
}): Temporal.PlainDate | ReceiptDayError {
  const day = input.requested ?? input.today;
  if (Temporal.PlainDate.compare(day, input.today) > 0) {
    return {
      code: 'RECEIVED_ON_IN_FUTURE',
      message: `a receipt on ${day.toString()} has not happened yet: today is ${input.today.toString()}`,
      latest: input.today.toString(),
    };
  }
  if (Temporal.PlainDate.compare(day, input.issuedOn) < 0) {
    return {
      code: 'RECEIVED_BEFORE_ISSUED',
      message: `the order was issued on ${input.issuedOn.toString()}: nothing was received for it on ${day.toString()}`,
      earliest: input.issuedOn.toString(),
    };
  }
  return day;
}
