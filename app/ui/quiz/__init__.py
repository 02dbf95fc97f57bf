"""The quiz feature: the Quiz menu and dock, the quiz panel and one answer widget per question type."""
