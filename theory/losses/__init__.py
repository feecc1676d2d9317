"""Loss catalogue of docs/losses.py (sympy form, torch form, declared properties).

Main definitions: `Loss`, `CATALOGUE`, `get_loss`, `huber`, `LossHypothesisError`.
"""

from theory.losses._catalogue import CATALOGUE, get_loss, huber
from theory.losses._loss import Loss, LossHypothesisError

__all__ = ["CATALOGUE", "Loss", "LossHypothesisError", "get_loss", "huber"]
