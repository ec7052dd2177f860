"""Rectification tickets: findings a vendor must fix, with due dates by severity."""
