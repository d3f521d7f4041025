"""cps-drill: timed practice drills for the Massachusetts Certified Peer Specialist exam."""

__version__ = "0.1.0"
