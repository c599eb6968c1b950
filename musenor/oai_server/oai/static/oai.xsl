<?xml version="1.0" encoding="UTF-8"?>
<!-- Renders OAI-PMH 2.0 responses as readable pages for a person opening /oai in a browser.
     Harvesters ignore the xml-stylesheet instruction; the XML itself is unchanged. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:oai="http://www.openarchives.org/OAI/2.0/"
    xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:oai-id="http://www.openarchives.org/OAI/2.0/oai-identifier"
    exclude-result-prefixes="oai oai_dc dc oai-id">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="base" select="/oai:OAI-PMH/oai:request/text()"/>

  <xsl:template match="/">
    <html lang="fr">
      <head>
        <meta charset="utf-8"/>
        <title>OAI-PMH — <xsl:value-of select="/oai:OAI-PMH/oai:request/@verb"/></title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
          nav a { margin-right: 1rem; }
          table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
          th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #ddd; }
          th { width: 14rem; color: #555; font-weight: 600; }
          .error { background: #fde8e8; border-left: 4px solid #c00; padding: .5rem 1rem; }
          .deleted { color: #a00; }
          .record { border: 1px solid #ccc; border-radius: 4px; padding: .5rem 1rem; margin: 1rem 0; }
          pre { white-space: pre-wrap; font-size: .85em; background: #f6f6f6; padding: .5rem; }
          .token { margin: 1.5rem 0; font-weight: 600; }
        </style>
      </head>
      <body>
        <h1>OAI-PMH</h1>
        <nav>
          <a href="?verb=Identify">Identify</a>
          <a href="?verb=ListMetadataFormats">ListMetadataFormats</a>
          <a href="?verb=ListSets">ListSets</a>
          <a href="?verb=ListIdentifiers&amp;metadataPrefix=oai_dc">ListIdentifiers</a>
          <a href="?verb=ListRecords&amp;metadataPrefix=oai_dc">ListRecords</a>
        </nav>
        <p>
          Request: <code><xsl:value-of select="$base"/>?<xsl:for-each select="/oai:OAI-PMH/oai:request/@*">
            <xsl:if test="position() &gt; 1">&amp;</xsl:if><xsl:value-of select="name()"/>=<xsl:value-of select="."/>
          </xsl:for-each></code>
          — <xsl:value-of select="/oai:OAI-PMH/oai:responseDate"/>
        </p>
        <xsl:apply-templates select="/oai:OAI-PMH/oai:error"/>
        <xsl:apply-templates select="/oai:OAI-PMH/oai:Identify | /oai:OAI-PMH/oai:ListMetadataFormats |
            /oai:OAI-PMH/oai:ListSets | /oai:OAI-PMH/oai:ListIdentifiers | /oai:OAI-PMH/oai:ListRecords |
            /oai:OAI-PMH/oai:GetRecord"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="oai:error">
    <p class="error"><strong><xsl:value-of select="@code"/></strong>: <xsl:value-of select="."/></p>
  </xsl:template>

  <xsl:template match="oai:Identify">
    <h2>Identify</h2>
    <table>
      <xsl:for-each select="oai:*[not(self::oai:description)]">
        <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="oai:description/oai-id:oai-identifier/*">
        <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListMetadataFormats">
    <h2>Metadata formats</h2>
    <table>
      <tr><th>metadataPrefix</th><td><strong>schema</strong> — namespace</td></tr>
      <xsl:for-each select="oai:metadataFormat">
        <tr>
          <th><a href="?verb=ListRecords&amp;metadataPrefix={oai:metadataPrefix}"><xsl:value-of select="oai:metadataPrefix"/></a></th>
          <td><xsl:value-of select="oai:schema"/> — <xsl:value-of select="oai:metadataNamespace"/></td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListSets">
    <h2>Sets</h2>
    <table>
      <xsl:for-each select="oai:set">
        <tr>
          <th><a href="?verb=ListRecords&amp;metadataPrefix=oai_dc&amp;set={oai:setSpec}"><xsl:value-of select="oai:setSpec"/></a></th>
          <td><strong><xsl:value-of select="oai:setName"/></strong>
            <xsl:for-each select="oai:setDescription/oai_dc:dc/dc:description">
              <br/><xsl:value-of select="."/>
            </xsl:for-each>
          </td>
        </tr>
      </xsl:for-each>
    </table>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:ListIdentifiers">
    <h2>Identifiers</h2>
    <table>
      <xsl:for-each select="oai:header">
        <tr><xsl:apply-templates select="." mode="row"/></tr>
      </xsl:for-each>
    </table>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:ListRecords | oai:GetRecord">
    <h2><xsl:value-of select="local-name()"/></h2>
    <xsl:for-each select="oai:record">
      <div class="record">
        <table><tr><xsl:apply-templates select="oai:header" mode="row"/></tr></table>
        <xsl:apply-templates select="oai:metadata"/>
      </div>
    </xsl:for-each>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:header" mode="row">
    <th>
      <a href="?verb=GetRecord&amp;metadataPrefix=oai_dc&amp;identifier={oai:identifier}"><xsl:value-of select="oai:identifier"/></a>
      <xsl:if test="@status = 'deleted'"> <span class="deleted">(deleted)</span></xsl:if>
    </th>
    <td><xsl:value-of select="oai:datestamp"/>
      <xsl:for-each select="oai:setSpec"> · <xsl:value-of select="."/></xsl:for-each>
    </td>
  </xsl:template>

  <xsl:template match="oai:metadata[oai_dc:dc]">
    <table>
      <xsl:for-each select="oai_dc:dc/*">
        <tr><th>dc:<xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- Other formats (LIDO, EDM): show the XML's text outline. -->
  <xsl:template match="oai:metadata">
    <pre><xsl:apply-templates select="*" mode="outline"/></pre>
  </xsl:template>

  <xsl:template match="*" mode="outline">
    <xsl:for-each select="ancestor::*[ancestor::oai:metadata]">  </xsl:for-each>
    <xsl:value-of select="name()"/>
    <xsl:if test="normalize-space(text())">: <xsl:value-of select="normalize-space(text())"/></xsl:if>
    <xsl:text>&#10;</xsl:text>
    <xsl:apply-templates select="*" mode="outline"/>
  </xsl:template>

  <xsl:template match="oai:resumptionToken">
    <p class="token">
      <xsl:value-of select="@cursor"/> + this page of <xsl:value-of select="@completeListSize"/> —
      <xsl:choose>
        <xsl:when test="normalize-space(.)">
          <a href="?verb={/oai:OAI-PMH/oai:request/@verb}&amp;resumptionToken={.}">next page</a>
        </xsl:when>
        <xsl:otherwise>end of the list</xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>
</xsl:stylesheet>
