"""Valuation (Art. 68): the rules live on the lot (auction.lots.model: appointment, report,
agreement, dispute); this package holds the valuation-specific pieces shared by them."""
