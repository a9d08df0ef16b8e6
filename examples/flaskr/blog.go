package flaskr

import (
	"database/sql"
	"errors"
	"time"

	"github.com/flasky-go/flasky"
)

var blogBP = flasky.NewBlueprint("blog", "")

func init() {
	blogBP.Route("/", index)
	blogBP.Route("/create", create, "GET", "POST").Wrap(loginRequired)
	blogBP.Route("/<int:id>/update", update, "GET", "POST").Wrap(loginRequired)
	blogBP.Route("/<int:id>/delete", delete, "POST").Wrap(loginRequired)
}

// Post is a post with its author's name.
type Post struct {
	ID       int64
	Title    string
	Body     string
	Created  time.Time
	AuthorID int64
	Username string
}

const selectPosts = "SELECT p.id, title, body, created, author_id, username FROM post p JOIN user u ON p.author_id = u.id"

func scanPost(row interface{ Scan(...any) error }) (*Post, error) {
	var p Post
	err := row.Scan(&p.ID, &p.Title, &p.Body, &p.Created, &p.AuthorID, &p.Username)
	return &p, err
}

// index shows all the posts, the most recent first.
func index(c *flasky.Ctx) error {
	rows, err := getDB(c).Query(selectPosts + " ORDER BY created DESC")
	if err != nil {
		return err
	}
	defer rows.Close()
	var posts []*Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return err
		}
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return render(c, "blog/index.html", flasky.M{"posts": posts})
}

// getPost returns a post and its author by id: a 404 if there is no such
// post, and a 403 if checkAuthor is set and the current user is not its
// author.
func getPost(c *flasky.Ctx, id int, checkAuthor bool) (*Post, error) {
	p, err := scanPost(getDB(c).QueryRow(selectPosts+" WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, flasky.Abortf(404, "Post id %d doesn't exist.", id)
	}
	if err != nil {
		return nil, err
	}
	if checkAuthor && p.AuthorID != currentUser(c).ID {
		return nil, flasky.Abort(403)
	}
	return p, nil
}

// create creates a post by the current user.
func create(c *flasky.Ctx) error {
	if c.Request.Method == "POST" {
		title, err := c.Form.Require("title")
		if err != nil {
			return err
		}
		body, err := c.Form.Require("body")
		if err != nil {
			return err
		}
		if title == "" {
			c.Flash("Title is required.")
		} else {
			_, err := getDB(c).Exec("INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)", title, body, currentUser(c).ID)
			if err != nil {
				return err
			}
			return c.RedirectTo("blog.index", nil)
		}
	}
	return render(c, "blog/create.html", nil)
}

// update updates a post of the current user's.
func update(c *flasky.Ctx) error {
	id := c.ParamInt("id")
	post, err := getPost(c, id, true)
	if err != nil {
		return err
	}
	if c.Request.Method == "POST" {
		title, err := c.Form.Require("title")
		if err != nil {
			return err
		}
		body, err := c.Form.Require("body")
		if err != nil {
			return err
		}
		if title == "" {
			c.Flash("Title is required.")
		} else {
			_, err := getDB(c).Exec("UPDATE post SET title = ?, body = ? WHERE id = ?", title, body, id)
			if err != nil {
				return err
			}
			return c.RedirectTo("blog.index", nil)
		}
	}
	return render(c, "blog/update.html", flasky.M{"post": post})
}

// delete deletes a post of the current user's.
func delete(c *flasky.Ctx) error {
	id := c.ParamInt("id")
	if _, err := getPost(c, id, true); err != nil {
		return err
	}
	if _, err := getDB(c).Exec("DELETE FROM post WHERE id = ?", id); err != nil {
		return err
	}
	return c.RedirectTo("blog.index", nil)
}
