"""The FootAndBall player and ball detector, to measure a real trained detector with
`sn44-miner eval`: the subnet's own trained models are not public."""

from .model import FootAndBall, decode, load, strict_peaks, to_input

__all__ = ["FootAndBall", "decode", "load", "strict_peaks", "to_input"]
