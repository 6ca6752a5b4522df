"""Trygg sida: Vänersborg's page on domestic violence, in every language its residents read."""
