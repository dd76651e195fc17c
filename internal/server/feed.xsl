<?xml version="1.0" encoding="UTF-8"?>
<!--
  feed.xsl: shows bulletin's RSS 2.0 and Atom 1.0 feeds as a readable page
  when a browser opens them (the feeds name it in <?xml-stylesheet?>).
  XSLT 1.0, no scripts; its one resource is feed.css. Only the plain summaries are
  shown (never the HTML content, which would need disable-output-escaping),
  and only http(s) links become links.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="description" select="/rss/channel/description | /atom:feed/atom:subtitle"/>
  <xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
  <xsl:variable name="links" select="/rss/channel/atom:link | /atom:feed/atom:link"/>
  <xsl:variable name="self" select="$links[@rel='self']/@href"/>
  <!-- The server's base URL, from this stylesheet's own address in the feed
       (href="BASE/feed.xsl"): the page's CSS lives beside it, since the
       server's Content-Security-Policy allows no inline style. -->
  <xsl:variable name="base" select="substring-before(substring-after(/processing-instruction('xml-stylesheet'), 'href=&quot;'), '/feed.xsl')"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (web feed)</title>
        <link rel="stylesheet" href="{$base}/feed.css"/>
      </head>
      <body>
        <main>
          <p class="note">
            This is a web feed. To follow it, copy its address into your feed reader:
            <code><xsl:value-of select="$self"/></code>
          </p>
          <h1><xsl:value-of select="$title"/></h1>
          <xsl:if test="$description">
            <p><xsl:value-of select="$description"/></p>
          </xsl:if>
          <xsl:if test="starts-with($home, 'http')">
            <p><a href="{$home}">Visit the website</a></p>
          </xsl:if>
          <ol>
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ol>
          <xsl:if test="$links[@rel='previous' or @rel='next']">
            <nav aria-label="Older and newer entries">
              <xsl:if test="starts-with($links[@rel='previous']/@href, 'http')">
                <a href="{$links[@rel='previous']/@href}" rel="prev">Newer entries</a>
              </xsl:if>
              <xsl:if test="starts-with($links[@rel='next']/@href, 'http')">
                <a href="{$links[@rel='next']/@href}" rel="next">Older entries</a>
              </xsl:if>
            </nav>
          </xsl:if>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- An RSS item. -->
  <xsl:template match="item">
    <li>
      <h2><xsl:call-template name="link">
        <xsl:with-param name="href" select="link"/>
        <xsl:with-param name="text" select="title"/>
      </xsl:call-template></h2>
      <p class="meta">
        <xsl:value-of select="pubDate"/>
        <xsl:for-each select="category"> · <xsl:value-of select="."/></xsl:for-each>
      </p>
      <p><xsl:value-of select="description"/></p>
    </li>
  </xsl:template>

  <!-- An Atom entry. -->
  <xsl:template match="atom:entry">
    <li>
      <h2><xsl:call-template name="link">
        <xsl:with-param name="href" select="atom:link[@rel='alternate']/@href"/>
        <xsl:with-param name="text" select="atom:title"/>
      </xsl:call-template></h2>
      <p class="meta">
        <xsl:value-of select="substring(atom:published | atom:updated[not(../atom:published)], 1, 10)"/>
        <xsl:for-each select="atom:category"> · <xsl:value-of select="@term"/></xsl:for-each>
      </p>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>

  <!-- A link when href is http(s), else the text alone. -->
  <xsl:template name="link">
    <xsl:param name="href"/>
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="starts-with($href, 'http://') or starts-with($href, 'https://')">
        <a href="{$href}"><xsl:value-of select="$text"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
