-- 0019: the knowledge base's categories become stored settings (issue 18). Admins add,
-- rename and delete them; an article is filed only in a stored one, and a category that
-- articles are filed in is not deleted (checked in the deleting transaction). Every category
-- an article was filed in before this migration becomes a stored category, so existing
-- articles stay valid.
--
-- `name` is compared bytewise (BINARY), as the core compares `Category` values.
CREATE TABLE article_categories (
    name TEXT NOT NULL PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT OR IGNORE INTO article_categories (name) SELECT DISTINCT category FROM articles;

CREATE INDEX articles_by_category ON articles (category);
