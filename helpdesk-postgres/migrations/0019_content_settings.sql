-- 0019: the knowledge base's categories become stored settings (issue 18). Admins add,
-- rename and delete them; an article is filed only in a stored one, and a category that
-- articles are filed in is not deleted (checked in the deleting transaction, under a lock
-- of the category's row). Every category an article was filed in before this migration
-- becomes a stored category, so existing articles stay valid.
--
-- `name` is compared bytewise (COLLATE "C"), as the core compares `Category` values.
CREATE TABLE article_categories (
    name text COLLATE "C" PRIMARY KEY
);

INSERT INTO article_categories (name)
SELECT DISTINCT category FROM articles
ON CONFLICT DO NOTHING;

CREATE INDEX articles_category_idx ON articles (category);
