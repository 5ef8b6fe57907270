"""Dates."""

import datetime


class Day(datetime.date):
    def weekday_name(self):
        return self.strftime("%A")


def today():
    return Day.today()
