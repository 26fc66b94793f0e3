"""Views: turn computed results into JSON or Rich renderables. No arithmetic here."""
