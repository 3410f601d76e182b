"""HR's pages: their own organisation's figures and people, never another's."""
