package io.juggler.admin;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/** {@code /admin/logout}: ends the console session (audited) and returns to the login page. */
@WebServlet("/admin/logout")
public class SignOut extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient Audit audit;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res)
      throws IOException, ServletException {
    if (req.getUserPrincipal() != null) {
      audit.record("logout", "-", "signed out");
    }
    req.logout();
    HttpSession session = req.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    res.sendRedirect(req.getContextPath() + "/admin/");
  }
}
